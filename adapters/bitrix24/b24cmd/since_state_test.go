package b24cmd_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24/b24cmd"
)

// -since with -state syncs from the date, but keeps the state's listing of
// the ids -deletions made: a deal deleted on the portal after a run with
// -deletions is retracted by the next run with -deletions, -since or not.
// -since replaced the whole watermark, the listing with it, so that the
// run started a new listing without the deleted deal, retracting nothing,
// and no later run ever retracted it: its events stayed in the event file
// for good.
func TestSyncSinceKeepsDeletionsListing(t *testing.T) {
	for _, tc := range []struct {
		name   string
		second []string // the flags of the run after the deletion, with -state
	}{
		{"since and deletions", []string{"-since", "2025-06-01", "-deletions"}},
		{"since, then deletions", []string{"-since", "2025-06-01"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t)
			dir := t.TempDir()
			state := filepath.Join(dir, "state.json")
			s := map[string]event{}
			apply(s, stateRun(t, srv.WebhookURL(), state, "-deletions")(filepath.Join(dir, "1.ndjson")))
			want := []string{"b24:deal:1037:created", "b24:deal:1037:won"}
			for _, id := range want {
				if _, ok := s[id]; !ok {
					t.Fatalf("%s not there at first", id)
				}
			}
			if err := srv.Remove("deal", 1037); err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			out := filepath.Join(dir, "2.ndjson")
			args := append([]string{"-url", srv.WebhookURL(), "-state", state, "-o", out, "-min-interval", "0"}, tc.second...)
			if err := b24cmd.Sync(context.Background(), args, nil, &stderr); err != nil {
				t.Fatal(err, stderr.String())
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			apply(s, readEvents(t, b))
			// A run with -deletions and the state after it.
			apply(s, stateRun(t, srv.WebhookURL(), state, "-deletions")(filepath.Join(dir, "3.ndjson")))
			for _, id := range want {
				if _, ok := s[id]; ok {
					t.Errorf("%s still there after the deal was deleted", id)
				}
			}
		})
	}
}

// -since with -state keeps the state's stage-history counters: the run
// reads the history rows past them, as any run with the state does, and
// the state it writes still counts every row seen. -since set them to
// zero, so that the state counted only the rows of the items changed since
// the date (none, for a date after the last change): the next run did not
// look for new history rows at all, and once it counted again from a lower
// row, read again the history past it and the deals and leads it belongs
// to, though nothing had changed.
func TestSyncSinceKeepsHistoryCounters(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	counters := func() (deal, lead int64) {
		t.Helper()
		b, err := os.ReadFile(state)
		if err != nil {
			t.Fatal(err)
		}
		var st struct {
			Deal int64 `json:"deal_history"`
			Lead int64 `json:"lead_history"`
		}
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatal(err)
		}
		return st.Deal, st.Lead
	}
	stateRun(t, srv.WebhookURL(), state)(filepath.Join(dir, "1.ndjson"))
	deal, lead := counters()
	if deal == 0 || lead == 0 {
		t.Fatalf("a full sync counted deal history %d, lead history %d", deal, lead)
	}
	// The last deal and lead of the portal changed at 09:53.
	for i, since := range []string{"2024-03-15", "2024-04-02T09:55:00+03:00"} {
		stateRun(t, srv.WebhookURL(), state, "-since", since)(filepath.Join(dir, fmt.Sprintf("since%d.ndjson", i)))
		if d, l := counters(); d != deal || l != lead {
			t.Errorf("after -since %s the state counts deal history %d, lead history %d; want %d and %d", since, d, l, deal, lead)
		}
	}
}

// -since with -state keeps the state's count of time-tracking records
// seen: its window reads the records created in it, not those past the
// count, and the run after it reads the records past the count, so that a
// record logged by hand for a day before the window is read, whenever it
// was added. The state after -since counted the records of the window
// alone: none, and the next run read the records created since the tasks
// mark; or a newer one, and the next run read only the records after it.
// Either way a record dated before the window was never read.
func TestSyncSinceKeepsElapsedID(t *testing.T) {
	logged := func(id, created string) map[string]any {
		return map[string]any{"ID": id, "TASK_ID": "7", "USER_ID": "5", "SECONDS": "1800", "MINUTES": "30", "CREATED_DATE": created}
	}
	for _, tc := range []struct {
		name  string
		added []map[string]any // before the run with -since
	}{
		{"nothing in the window", nil},
		{"a newer record in the window", []map[string]any{logged("5", "2024-03-25T10:00:00+03:00")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t)
			srv.AddRow("task", "id", map[string]any{"id": "7", "title": "Call back", "status": "2", "responsibleId": "5", "groupId": "0",
				"createdDate": "2024-03-02T10:00:00+03:00", "changedDate": "2024-03-04T10:00:00+03:00", "closedDate": nil, "deadline": nil})
			srv.AddRow("elapsed", "ID", logged("3", "2024-03-03T10:00:00+03:00"))
			dir := t.TempDir()
			state := filepath.Join(dir, "state.json")
			s := map[string]event{}
			apply(s, stateRun(t, srv.WebhookURL(), state, "-tasks")(filepath.Join(dir, "1.ndjson")))
			// Time logged by hand for 5 March, before the run with -since.
			srv.AddRow("elapsed", "ID", logged("4", "2024-03-05T10:00:00+03:00"))
			want := []string{"b24:elapsed:3", "b24:elapsed:4"}
			for _, r := range tc.added {
				srv.AddRow("elapsed", "ID", r)
				want = append(want, "b24:elapsed:"+r["ID"].(string))
			}
			apply(s, stateRun(t, srv.WebhookURL(), state, "-tasks", "-since", "2024-03-20")(filepath.Join(dir, "2.ndjson")))
			apply(s, stateRun(t, srv.WebhookURL(), state, "-tasks")(filepath.Join(dir, "3.ndjson")))
			for _, id := range want {
				if _, ok := s[id]; !ok {
					t.Errorf("%s never written", id)
				}
			}
		})
	}
}

// -since with -state, a date after the state's marks, reads what changed
// since the date, and the state it writes keeps the earlier marks, so the
// next run reads what changed between them and the date too. The state
// took the date for its marks, and a deal changed in between (its amount:
// no stage move that the stage history would tell) was never read again.
func TestSyncSinceAfterTheStateLosesNothing(t *testing.T) {
	srv := newServer(t)
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	s := map[string]event{}
	run := stateRun(t, srv.WebhookURL(), state)
	apply(s, run(filepath.Join(dir, "1.ndjson")))
	const won = "b24:deal:1037:won"
	if _, ok := s[won]; !ok {
		t.Fatal("1037 not won at first")
	}
	// The portal's last change before was at 09:53; deal 1037's amount
	// is corrected at 09:58, and the next run reads from 10:00.
	if err := srv.Update("deal", 1037, func(r map[string]any) {
		r["OPPORTUNITY"], r["DATE_MODIFY"] = "12345.67", "2024-04-02T09:58:00+03:00"
	}); err != nil {
		t.Fatal(err)
	}
	apply(s, stateRun(t, srv.WebhookURL(), state, "-since", "2024-04-02T10:00:00+03:00")(filepath.Join(dir, "2.ndjson")))
	apply(s, run(filepath.Join(dir, "3.ndjson")))
	if a := s[won].Amount; a == nil || *a != "12345.67" {
		t.Errorf("%s: amount %s after the runs that followed the correction, want 12345.67", won, show(a))
	}
}

func show(s *string) string {
	if s == nil {
		return "none"
	}
	return *s
}

package b24cmd_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24/b24cmd"
	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

func notifications() []goal.Notification {
	at := time.Date(2024, 3, 19, 6, 0, 0, 0, time.UTC)
	mk := func(kind goal.NotifyKind, who string) goal.Notification {
		return goal.Notification{
			Key: string(kind) + "/revenue/" + who + "/2024-03", Kind: kind, Goal: "revenue", Participant: who, Period: "2024-03",
			PeriodStart: date.New(2024, 3, 1), PeriodEnd: date.New(2024, 4, 1), At: at, Status: goal.AtRisk,
			Actual: decimal.NewNullDecimal(decimal.RequireFromString("120000.50")), Target: decimal.NewNullDecimal(decimal.RequireFromString("500000")),
			DaysLeft: 12, Message: "revenue is at risk for " + who,
		}
	}
	return []goal.Notification{mk(goal.NotifyAtRisk, "5"), mk(goal.NotifyAchieved, "6"), mk(goal.NotifyAtRisk, "sales")}
}

func TestAct(t *testing.T) {
	srv := newServer(t)
	t.Setenv(b24cmd.EnvURL, srv.WebhookURL())
	report, err := json.Marshal(map[string]any{"values": []any{}, "notifications": notifications()})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "report.json")
	if err := os.WriteFile(path, report, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"-notifications", path, "-dashboard", "https://kpi.example.com/goal", "-tz", "Europe/Moscow", "-min-interval", "0"}
	run := func(extra ...string) (string, string) {
		var out, errb bytes.Buffer
		if err := b24cmd.Act(context.Background(), append(args[:len(args):len(args)], extra...), &out, &errb); err != nil {
			t.Fatalf("%v\n%s", err, errb.String())
		}
		if strings.Contains(out.String()+errb.String(), "FAKE_WEBHOOK_CODE") {
			t.Error("the secret was printed")
		}
		return out.String(), errb.String()
	}
	const skipped = "achieved/revenue/6/2024-03\tskipped: kind achieved makes no task\n" +
		"at_risk/revenue/sales/2024-03\tskipped: participant is not a portal user\n"
	// Each run says what it did to the task and to the reminder, with
	// their ids, and counts them on stderr.
	for i, want := range []struct{ line, summary string }{
		{"created task 1, created reminder 1", "tasks: 1 created, 0 found; reminders: 1 created, 0 moved, 0 found; 2 skipped"},
		{"found task 1, found reminder 1", "tasks: 0 created, 1 found; reminders: 0 created, 0 moved, 1 found; 2 skipped"},
		{"found task 1, moved reminder 1", "tasks: 0 created, 1 found; reminders: 0 created, 1 moved, 0 found; 2 skipped"},
	} {
		var extra []string
		if i == 2 {
			extra = []string{"-remind", "96h"} // three days earlier
		}
		out, errs := run(extra...)
		if w := "at_risk/revenue/5/2024-03\t" + want.line + "\n" + skipped; out != w {
			t.Errorf("run %d:\n%s\nwant:\n%s", i+1, out, w)
		}
		if w := "bitrix24: " + want.summary + "\n"; errs != w {
			t.Errorf("run %d: stderr %q, want %q", i+1, errs, w)
		}
	}
	if out, _ := run("-remind", "0"); out != "at_risk/revenue/5/2024-03\tfound task 1\n"+skipped {
		t.Errorf("run without reminders:\n%s", out)
	}
	tasks := srv.Tasks()
	if len(tasks) != 1 || len(srv.CalendarEvents()) != 1 {
		t.Fatalf("%d tasks, %d events", len(tasks), len(srv.CalendarEvents()))
	}
	if tasks[0]["deadline"] != "2024-04-01T00:00:00+03:00" || !strings.Contains(tasks[0]["description"].(string), "https://kpi.example.com/goal?from=2024-03-01&goal=revenue") {
		t.Errorf("task %v", tasks[0])
	}
}

func TestActUsage(t *testing.T) {
	t.Setenv(b24cmd.EnvURL, "https://portal.example/rest/1/secret/")
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{nil, "act bitrix24: -notifications is required"},
		{[]string{"-notifications", "x", "-kinds", "at_risk,late"}, `act bitrix24: -kinds: unknown kind "late"`},
		{[]string{"-notifications", "x", "-tz", "Mars/Olympus"}, `act bitrix24: -tz: unknown time zone "Mars/Olympus"`},
		{[]string{"-notifications", "x", "-remind", "-1h"}, "act bitrix24: -remind: negative"},
		{[]string{"-notifications", "x", "-remind", "8785h"}, "act bitrix24: -remind: 8785h0m0s is longer than 366 days (8784h0m0s)"},
	} {
		var out, errb bytes.Buffer
		err := b24cmd.Act(context.Background(), tc.args, &out, &errb)
		if !errors.Is(err, b24cmd.ErrUsage) || err.Error() != tc.msg {
			t.Errorf("%v: err = %v, want usage error %q", tc.args, err, tc.msg)
		}
	}
}

// The kinds the engine tells without a rule (an achievement taken back, a
// closed period restated) may make tasks too: -kinds takes every kind a
// notification may have.
func TestActKindsWithoutRule(t *testing.T) {
	t.Setenv(b24cmd.EnvURL, "https://portal.example/rest/1/secret/")
	var out, errb bytes.Buffer
	err := b24cmd.Act(context.Background(), []string{"-notifications", filepath.Join(t.TempDir(), "none.json"), "-kinds", "achievement_revoked,restated"}, &out, &errb)
	if err == nil || errors.Is(err, b24cmd.ErrUsage) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want the missing file's error", err)
	}
}

func TestParseNotifications(t *testing.T) {
	ns := notifications()
	arr, _ := json.Marshal(ns)
	rep, _ := json.MarshalIndent(map[string]any{"notifications": ns}, "", "  ")
	for _, data := range [][]byte{arr, rep} {
		got, err := b24cmd.ParseNotifications(data)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(ns) {
			t.Fatalf("%d notifications", len(got))
		}
		for i := range ns {
			g, w := got[i], ns[i]
			if !g.At.Equal(w.At) || !g.Actual.Decimal.Equal(w.Actual.Decimal) || !g.Target.Decimal.Equal(w.Target.Decimal) {
				t.Errorf("%d: got %+v", i, g)
			}
			g.At, w.At = time.Time{}, time.Time{}
			g.Actual, g.Target = w.Actual, w.Target
			if !reflect.DeepEqual(g, w) {
				t.Errorf("%d: got %+v\nwant %+v", i, g, w)
			}
		}
	}
	key := regexp.QuoteMeta
	for _, tc := range []struct{ in, err string }{
		{``, "want a report object or an array of notifications"},
		{`{"values":[]}`, `no "notifications" in the report`},
		{`[{"kind":"at_risk"}]`, "notification 0: no key"},
		{`[{"key":"k","period_start":"2024-03-01","period_end":"2024-04-01","actual":"1e3"}]`, key(`notification 0: k: actual: want a decimal, got "1e3"`)},
		{`[{"key":"k","period_start":"2024-13-01","period_end":"2024-04-01"}]`, key(`notification 0: k: period_start:`)},
		{`[{"key":"k","period_start":"2024-03-01","period_end":"2024-04-01","at":"yesterday"}]`, key(`notification 0: k: at:`)},
		{`[{"key":"k","period_start":"2024-03-01"}]`, key(`notification 0: k: period_end:`)},
		{`[1]`, "notification 0: json: cannot unmarshal number"},
	} {
		_, err := b24cmd.ParseNotifications([]byte(tc.in))
		if err == nil || !regexp.MustCompile(tc.err).MatchString(err.Error()) {
			t.Errorf("%s: err = %v, want %s", tc.in, err, tc.err)
		}
	}
}

func FuzzParseNotifications(f *testing.F) {
	arr, _ := json.Marshal(notifications())
	f.Add(arr)
	f.Add([]byte(`{"notifications":[]}`))
	f.Add([]byte(`[{"key":"k","period_start":"2024-03-01","period_end":"2024-04-01","actual":null,"at":""}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ns, err := b24cmd.ParseNotifications(data)
		if err != nil {
			return
		}
		// What was read writes back and reads again to the same.
		again, err := json.Marshal(ns)
		if err != nil {
			t.Fatal(err)
		}
		ns2, err := b24cmd.ParseNotifications(again)
		if err != nil {
			t.Fatalf("re-read: %v\n%s", err, again)
		}
		if len(ns2) != len(ns) {
			t.Fatalf("%d then %d", len(ns), len(ns2))
		}
		for i := range ns {
			if ns[i].Key != ns2[i].Key || !ns[i].At.Equal(ns2[i].At) || ns[i].PeriodEnd != ns2[i].PeriodEnd {
				t.Fatalf("%d: %+v then %+v", i, ns[i], ns2[i])
			}
		}
	})
}

// TestSyncTasks: sync -tasks writes the tasks' and time logs' events with
// the goal read from the named field.
func TestSyncTasks(t *testing.T) {
	srv := newServer(t)
	t.Setenv(b24cmd.EnvURL, srv.WebhookURL())
	srv.AddRow("task", "id", map[string]any{"id": "7", "title": "Call back", "status": "5", "responsibleId": "5", "groupId": "0",
		"createdDate": "2024-03-02T10:00:00+03:00", "changedDate": "2024-03-04T10:00:00+03:00", "closedDate": "2024-03-04T10:00:00+03:00",
		"deadline": nil, "UF_CRM_GOAL": "revenue"})
	srv.AddRow("elapsed", "ID", map[string]any{"ID": "3", "TASK_ID": "7", "USER_ID": "5", "SECONDS": "1800", "MINUTES": "30",
		"CREATED_DATE": "2024-03-03T10:00:00+03:00"})
	var out, errb bytes.Buffer
	err := b24cmd.Sync(context.Background(), []string{"-tasks", "-task-goal-field", "UF_CRM_GOAL", "-min-interval", "0"}, &out, &errb)
	if err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	s := map[string]event{}
	apply(s, readEvents(t, out.Bytes()))
	for id, kind := range map[string]string{"b24:task:7:created": "task.created", "b24:task:7:completed": "task.completed", "b24:elapsed:3": "time.logged"} {
		e, ok := s[id]
		if !ok || e.Kind != kind || string(e.Attrs["goal"]) != `"revenue"` {
			t.Errorf("%s = %+v", id, e)
		}
	}
	if string(s["b24:elapsed:3"].Attrs["duration"]) != "1800" {
		t.Errorf("duration %s", s["b24:elapsed:3"].Attrs["duration"])
	}
}

// TestActQuotesFileText: a key and a kind read from a hand-made file are
// printed with their control characters escaped; an escape sequence reached
// the terminal and a newline in a key forged a line of the output.
func TestActQuotesFileText(t *testing.T) {
	srv := newServer(t)
	t.Setenv(b24cmd.EnvURL, srv.WebhookURL())
	ns := notifications()[:2]
	ns[0].Participant = "sales" // skipped: not a portal user
	ns[0].Key = "k\x1b[2J\nforged\tcreated task 9"
	ns[1].Kind = "odd\x1b]0;title\x07"
	ns[1].Key = "k2\u202e"
	report, err := json.Marshal(map[string]any{"notifications": ns})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "report.json")
	if err := os.WriteFile(path, report, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	args := []string{"-notifications", path, "-tz", "UTC", "-min-interval", "0"}
	if err := b24cmd.Act(context.Background(), args, &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	want := `k\x1b[2J\nforged\tcreated task 9` + "\tskipped: participant is not a portal user\n" +
		`k2\u202e` + "\tskipped: kind " + `odd\x1b]0;title\x07` + " makes no task\n"
	if out.String() != want {
		t.Errorf("output:\n%q\nwant:\n%q", out.String(), want)
	}
}

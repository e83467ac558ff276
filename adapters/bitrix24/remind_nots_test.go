package bitrix24_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/goal"
)

// dropEventFields removes members from the events of calendar.event.get's
// answers, as a portal that does not send them.
type dropEventFields []string

func (d dropEventFields) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil || strings.TrimSuffix(path.Base(r.URL.Path), ".json") != "calendar.event.get" || resp.StatusCode != 200 {
		return resp, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var body map[string]any
	if err := json.Unmarshal(b, &body); err != nil {
		return nil, err
	}
	evs, _ := body["result"].([]any)
	for _, e := range evs {
		for _, k := range d {
			delete(e.(map[string]any), k)
		}
	}
	if b, err = json.Marshal(body); err != nil {
		return nil, err
	}
	resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// TestActionsReminderWithoutTimestamp: on a portal whose events lack
// DATE_FROM_TS_UTC, a run with nothing changed updates no event: the start
// is read from DATE_FROM (the portal's locale format, in the event's zone)
// with TZ_OFFSET_FROM, and where those say nothing readable either, an
// event found on the days around its start stays. Compared by the
// timestamp alone, the event's start read as 0, unlike any start, and
// every run updated every reminder. A RemindBefore changed since still
// moves it: by hours, where DATE_FROM tells; by days (found by the wider
// search), where nothing does.
func TestActionsReminderWithoutTimestamp(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 3, 19, 9, 0, 0, 0, msk)
	for _, tc := range []struct {
		name   string
		drop   dropEventFields
		change time.Duration // RemindBefore for the third run
	}{
		{"DATE_FROM read", dropEventFields{"DATE_FROM_TS_UTC"}, 27 * time.Hour},
		{"no start readable", dropEventFields{"DATE_FROM_TS_UTC", "TZ_OFFSET_FROM", "DATE_FROM"}, 4 * 24 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := newPortal(t, bitrix24.WithHTTPClient(&http.Client{Transport: tc.drop}))
			n := note(goal.NotifyAtRisk, "5", at)
			a := newActions(c)
			run := func() bitrix24.ActionResult {
				t.Helper()
				srv.ResetLog()
				res, err := a.Apply(context.Background(), []goal.Notification{n})
				if err != nil {
					t.Fatal(err)
				}
				return res[0]
			}
			updates := func() int {
				k := 0
				for _, q := range srv.Requests() {
					if q.Method == "calendar.event.update" || q.Method == "calendar.event.add" {
						k++
					}
				}
				return k
			}
			first := run()
			if !first.EventCreated {
				t.Fatalf("first run %+v", first)
			}
			for i := range 2 {
				if r := run(); r.EventMoved || r.EventCreated || r.EventID != first.EventID || updates() != 0 {
					t.Errorf("run %d with nothing changed: %+v, %d writes of events", i+2, r, updates())
				}
			}
			a.RemindBefore = tc.change
			if r := run(); !r.EventMoved || r.EventID != first.EventID || updates() != 1 {
				t.Errorf("RemindBefore changed: %+v, %d writes of events, want the event moved", r, updates())
			}
			if r := run(); r.EventMoved || updates() != 0 {
				t.Errorf("the run after the move: %+v, %d writes of events", r, updates())
			}
			if evs := srv.CalendarEvents(); len(evs) != 1 {
				t.Errorf("%d events, want 1", len(evs))
			}
		})
	}
}

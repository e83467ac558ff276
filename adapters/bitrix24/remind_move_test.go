package bitrix24_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/goal"
)

// TestActionsReminderMoves: RemindBefore changed between two runs, by
// more than the day around the new start that the first search reads,
// moves the reminder the first run made (calendar.event.update) instead of
// adding a second one; a third run finds it where it is and changes
// nothing.
func TestActionsReminderMoves(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 3, 19, 9, 0, 0, 0, msk)
	deadline := time.Date(2024, 4, 1, 0, 0, 0, 0, msk) // the end of March in Moscow
	for _, tc := range []struct {
		name          string
		first, second time.Duration
	}{
		{"raised by 3 days", 24 * time.Hour, 4 * 24 * time.Hour},
		{"lowered by 20 days", 21 * 24 * time.Hour, 24 * time.Hour},
		{"raised to 40 days", 24 * time.Hour, 40 * 24 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := newPortal(t)
			n := note(goal.NotifyAtRisk, "5", at)
			a := newActions(c)
			a.RemindBefore = tc.first
			first, err := a.Apply(context.Background(), []goal.Notification{n})
			if err != nil {
				t.Fatal(err)
			}
			a.RemindBefore = tc.second
			srv.ResetLog()
			second, err := a.Apply(context.Background(), []goal.Notification{n})
			if err != nil {
				t.Fatal(err)
			}
			r := second[0]
			if r.EventCreated || !r.EventMoved || r.EventID != first[0].EventID || r.TaskCreated {
				t.Errorf("second run %+v, first %+v: want the first run's event moved", r, first[0])
			}
			updates := 0
			for _, q := range srv.Requests() {
				if q.Method == "calendar.event.update" {
					updates++
					if fmt.Sprint(q.Params["id"]) != fmt.Sprint(first[0].EventID) {
						t.Errorf("update of event %v, want %d", q.Params["id"], first[0].EventID)
					}
				}
			}
			if updates != 1 {
				t.Errorf("%d calls of calendar.event.update, want 1", updates)
			}
			evs := srv.CalendarEvents()
			if len(evs) != 1 {
				t.Fatalf("%d events, want 1", len(evs))
			}
			want := deadline.Add(-tc.second)
			if got := evs[0]["DATE_FROM_TS_UTC"]; got != strconv.FormatInt(want.Unix(), 10) {
				t.Errorf("reminder from %v, want %d (%v)", got, want.Unix(), want)
			}
			if got := evs[0]["DATE_TO"]; got != want.Add(30*time.Minute).Format(time.RFC3339) {
				t.Errorf("reminder to %v, want %v", got, want.Add(30*time.Minute).Format(time.RFC3339))
			}
			if d := evs[0]["DESCRIPTION"].(string); !strings.Contains(d, "["+bitrix24.Marker(n.Key)+"]") ||
				!strings.Contains(d, fmt.Sprintf("Task %d is due 2024-04-01 00:00 MSK.", r.TaskID)) {
				t.Errorf("description %q", d)
			}

			srv.ResetLog()
			third, err := a.Apply(context.Background(), []goal.Notification{n})
			if err != nil {
				t.Fatal(err)
			}
			if r := third[0]; r.EventCreated || r.EventMoved || r.EventID != first[0].EventID {
				t.Errorf("third run %+v", r)
			}
			for _, q := range srv.Requests() {
				if q.Method == "calendar.event.update" || q.Method == "calendar.event.add" {
					t.Errorf("third run called %s", q.Method)
				}
			}
			if n := len(srv.CalendarEvents()); n != 1 {
				t.Errorf("%d events after the third run", n)
			}
		})
	}
}

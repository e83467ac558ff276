package bitrix24_test

import (
	"context"
	"fmt"
	"slices"
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
		// Put more than 31 days ahead, the reminder was not found by
		// the second run's search, which added a second one.
		{"lowered from 60 days", 60 * 24 * time.Hour, 24 * time.Hour},
		{"lowered from 366 days", bitrix24.MaxRemindBefore, 2 * time.Hour},
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

// TestActionsReminderSearchZone: the wider search for a reminder counts its
// days in the actions' zone, also from the deadline the portal gives the
// task in its own zone (UTC here): 366 days before the task's deadline,
// 4 April 2024 00:05 at +14, is 4 April 2023 there, and the search starts
// the day before, 3 April, where counted in UTC it started on 1 April.
func TestActionsReminderSearchZone(t *testing.T) {
	t.Parallel()
	plus14 := time.FixedZone("LINT", 14*3600)
	n := note(goal.NotifyFailed, "5", time.Date(2024, 4, 1, 0, 5, 0, 0, plus14))
	srv, c := newPortal(t)
	a := &bitrix24.Actions{Client: c, Location: plus14}
	reads := func() []string {
		var froms []string
		for _, q := range srv.Requests() {
			if q.Method == "calendar.event.get" {
				froms = append(froms, fmt.Sprint(q.Params["from"], " to ", q.Params["to"]))
			}
		}
		return froms
	}
	first, err := a.Apply(context.Background(), []goal.Notification{n})
	if err != nil {
		t.Fatal(err)
	}
	// The task made by this run, no earlier run made its reminder: the
	// wider search spans 31 days ahead of the deadline (4 April 00:05), not
	// a year of the participant's calendar.
	if got, want := reads(), []string{"2024-04-02 to 2024-04-04", "2024-03-03 to 2024-04-05"}; !slices.Equal(got, want) {
		t.Errorf("first run: calendar.event.get read %q, want %q", got, want)
	}
	if err := srv.UpdateKey("task", "id", first[0].TaskID, func(r map[string]any) {
		r["deadline"] = time.Date(2024, 4, 4, 0, 5, 0, 0, plus14).UTC().Format(time.RFC3339)
	}); err != nil {
		t.Fatal(err)
	}
	a.MinLead = 10 * 24 * time.Hour // the deadline moves to 11 April: the reminder is not where it was
	srv.ResetLog()
	second, err := a.Apply(context.Background(), []goal.Notification{n})
	if err != nil {
		t.Fatal(err)
	}
	if r := second[0]; !r.EventMoved || r.EventID != first[0].EventID {
		t.Errorf("second run %+v, want the first run's event %d moved", r, first[0].EventID)
	}
	froms := reads()
	want := []string{"2024-04-09 to 2024-04-11", "2023-04-03 to 2024-04-12"}
	if !slices.Equal(froms, want) {
		t.Errorf("calendar.event.get read %q, want %q", froms, want)
	}
}

// RemindBefore past MaxRemindBefore is refused before anything is done: a
// reminder put further ahead would be out of the span a later run searches.
func TestActionsRemindBeforeBound(t *testing.T) {
	t.Parallel()
	srv, c := newPortal(t)
	a := newActions(c)
	a.RemindBefore = bitrix24.MaxRemindBefore + time.Second
	res, err := a.Apply(context.Background(), []goal.Notification{note(goal.NotifyAtRisk, "5", time.Date(2024, 3, 19, 9, 0, 0, 0, msk))})
	if want := "bitrix24: actions: RemindBefore 8784h0m1s is longer than 8784h0m0s (366 days)"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	if len(res) != 0 || len(srv.Requests()) != 0 {
		t.Errorf("results %v, %d requests: want nothing done", res, len(srv.Requests()))
	}
}

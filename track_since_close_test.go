package goalkit_test

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit"
)

// No tick tells a transition before the instant of WithNotificationsSince
// (Tracker.Tick: "a tick before it tells nothing"), and that holds for the
// closing of an instance that closes automatically too: period_closed is
// a transition at the close. anna's goal of 5 calls a month closes a day
// after each month; notifications start on 1 May.
//
// Expected: a tick on 10 April (before Since), after March's automatic
// close on 2 April, emits nothing (Evaluate as of 10 April with the same
// Since reports nothing either); and a tick on 2 May tells no period_closed
// of March, closed on 2 April, before Since. Today the closing part of
// goal.Set.Tick runs whatever the steps judged, and emits period_closed
// (at 2 April) from the tick before Since, and from the first tick after
// it.
func TestTrackerTickBeforeSinceTellsNoClose(t *testing.T) {
	plan := callsPlan(t, "2025-03-01", "2025-06-01", `    participants: {users: [anna]}
    close: {auto: true, after_days: 1}
    notify: [{on: achieved}, {on: failed}, {on: period_closed}]
`)
	since := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, ticks := range [][]time.Time{
		{time.Date(2025, 4, 10, 12, 0, 0, 0, time.UTC)},
		{time.Date(2025, 5, 2, 12, 0, 0, 0, time.UTC)},
	} {
		tr := startTracker(t, plan, goalkit.WithNotificationsSince(since))
		annaCall(t, tr, "c1", time.Date(2025, 3, 10, 10, 0, 0, 0, time.UTC), time.Time{})
		for _, at := range ticks {
			for _, n := range evaluatedSince(t, plan, tr, at, since) {
				if n.PeriodStart.String() == "2025-03-01" {
					t.Errorf("Evaluate as of %s with notifications since %s reports %s", at.Format(time.DateTime), since.Format(time.DateOnly), n.Key)
				}
			}
			ns := mustTick(t, tr, at)
			for _, n := range ns {
				if n.At.Before(since) || n.PeriodStart.String() == "2025-03-01" {
					t.Errorf("the tick at %s, with notifications since %s, emitted %s at %s", at.Format(time.DateTime), since.Format(time.DateOnly), n.Key, n.At.Format(time.DateTime))
				}
			}
		}
	}
}

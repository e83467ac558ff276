package goalkit_test

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit"
)

// No tick before the instant of WithNotificationsSince tells anything
// (Tracker.Tick: "a tick before it tells nothing"), restatements included:
// anna's March closes automatically on 2 April under the restate policy,
// a late call of March comes in on 15 April, and notifications start on 1
// June.
//
// Expected: the ticks of 10 and 20 April (before Since) emit nothing.
// Today the tick of 20 April emits restated (at 20 April): goal.Set.Tick
// adds the restatements of its last step whatever the steps judged.
func TestTrackerTickBeforeSinceTellsNoRestatement(t *testing.T) {
	plan := callsPlan(t, "2025-03-01", "2025-07-01", `    participants: {users: [anna]}
    close: {auto: true, after_days: 1, corrections: restate}
    notify: [{on: achieved}]
`)
	since := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	tr := startTracker(t, plan, goalkit.WithNotificationsSince(since))
	march10 := time.Date(2025, 3, 10, 10, 0, 0, 0, time.UTC)
	annaCall(t, tr, "c1", march10, time.Time{})
	for _, at := range []time.Time{time.Date(2025, 4, 10, 12, 0, 0, 0, time.UTC), time.Date(2025, 4, 20, 12, 0, 0, 0, time.UTC)} {
		if at.Day() == 20 {
			annaCall(t, tr, "c2", march10, time.Date(2025, 4, 15, 9, 0, 0, 0, time.UTC))
		}
		ns := mustTick(t, tr, at)
		for _, n := range ns {
			t.Errorf("the tick at %s, with notifications since %s, emitted %s at %s", at.Format(time.DateTime), since.Format(time.DateOnly), n.Key, n.At.Format(time.DateTime))
		}
	}
}

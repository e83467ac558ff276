package goalkit_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
)

// A first tick of a tracker given WithNotificationsSince at an instant
// inside a day tells no transition before that instant (Tick: "no tick
// tells a transition before the instant of WithNotificationsSince"), as
// Plan.Evaluate with the same option does: it compares the progress at
// Since itself with the progress at AsOf. anna's goal of 5 calls a month
// is achieved at 10:00 on 10 March; notifications start at 12:00 that day.
//
// Expected: Evaluate as of 13:00 reports nothing (achieved already at
// Since), and neither does a tick at 12:00 (exactly at Since) nor one at
// 13:00. Today the first tick's baseline is the day boundary at or before
// Since (midnight, tickSteps), so the tick compares 12:00 (or 13:00) with
// midnight and emits achieved for the transition at 10:00.
func TestTrackerFirstTickSinceInsideADayTellsNothingBefore(t *testing.T) {
	plan := callsPlan(t, "2025-03-01", "2025-05-01", `    participants: {users: [anna]}
    notify: [{on: achieved}]
`)
	since := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, first := range []time.Time{since, since.Add(time.Hour)} {
		tr := startTracker(t, plan, goalkit.WithNotificationsSince(since))
		for i := range 5 {
			annaCall(t, tr, strconv.Itoa(i), time.Date(2025, 3, 10, 10, 0, 0, 0, time.UTC), time.Time{})
		}
		for _, n := range evaluatedSince(t, plan, tr, first, since) {
			t.Errorf("Evaluate as of %s with notifications since %s reports %s", first.Format(time.DateTime), since.Format(time.DateTime), n.Key)
		}
		ns := mustTick(t, tr, first)
		for _, n := range ns {
			t.Errorf("the first tick at %s, with notifications since %s, emitted %s (at %s) for a transition at 10:00", first.Format(time.DateTime), since.Format(time.DateTime), n.Key, n.At.Format(time.DateTime))
		}
	}
}

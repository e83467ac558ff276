package goalkit_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
)

// A tracker given WithNotificationsSince tells the transitions from that
// instant on (Tick: "a first tick starts from the instant of
// WithNotificationsSince"), as Plan.Evaluate with the same option does: a
// host that starts notifying from 1 April (goalkit notify -since, a
// go-live date) and ticks before it tells nothing that happened before 1
// April, then or later. anna's goal of 5 calls a month was achieved on 10
// March, before the instant notifications start from.
//
// Expected: no tick emits anything (at 10 and 20 March, before Since; at
// 2 April, the goal was achieved already at Since), and Evaluate as of 10
// March with the same Since reports nothing either. Today the tick of 10
// March, before Since, judges from the start of its own day and emits
// achieved; the ticks after it start from the previous tick, not from
// Since.
func TestTrackerTicksBeforeSinceTellNothing(t *testing.T) {
	plan := callsPlan(t, "2025-03-01", "2025-05-01", `    participants: {users: [anna]}
    notify: [{on: achieved}]
`)
	since := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	tr := startTracker(t, plan, goalkit.WithNotificationsSince(since))
	for i := range 5 {
		annaCall(t, tr, strconv.Itoa(i), time.Date(2025, 3, 10, 10, 0, 0, 0, time.UTC), time.Time{})
	}
	march10 := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, n := range evaluatedSince(t, plan, tr, march10, since) {
		t.Errorf("Evaluate as of 10 March with notifications since 1 April reports %s", n.Key)
	}
	for _, at := range []time.Time{march10, time.Date(2025, 3, 20, 12, 0, 0, 0, time.UTC), time.Date(2025, 4, 2, 12, 0, 0, 0, time.UTC)} {
		ns := mustTick(t, tr, at)
		for _, n := range ns {
			t.Errorf("the tick at %s, with notifications since %s, emitted %s", at.Format(time.DateTime), since.Format(time.DateOnly), n.Key)
		}
	}
}

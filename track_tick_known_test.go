package goalkit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
)

// What a tick compares with is the progress at the previous tick as the
// versions' Known say it was (Tracker.Tick): a version applied after a tick
// but dated before it tells its transitions at the next tick when it
// carries the instant it arrived as its Known, as the service and the
// scale-out stamp it; without one it counts as always known, as if the
// previous tick had seen it, and its transitions are never told. The docs
// of Apply and Tick say so.
func TestTrackerLateVersionNeedsItsKnown(t *testing.T) {
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2025, 3, d, 12, 0, 0, 0, time.UTC) }
	for _, known := range []time.Time{day(10).Add(time.Minute), {}} {
		plan := callsPlan(t, "2025-03-01", "2025-05-01", `    participants: {users: [anna]}
    notify: [{on: achieved}]
`)
		tr := startTracker(t, plan)
		if ns := mustTick(t, tr, day(10)); len(ns) != 0 {
			t.Fatalf("the first tick told %v", ns)
		}
		var calls []kpi.Event // the goal's 5 calls, on the 5th, applied after the tick on the 10th
		for i := range 5 {
			calls = append(calls, kpi.Event{ID: fmt.Sprint(i), Kind: "call", Actor: "anna", Time: day(5), Known: known})
		}
		if err := tr.Apply(ctx, calls...); err != nil {
			t.Fatal(err)
		}
		var told []goal.NotifyKind
		for _, n := range mustTick(t, tr, day(11)) {
			told = append(told, n.Kind)
		}
		if want := !known.IsZero(); (len(told) == 1 && told[0] == goal.NotifyAchieved) != want {
			t.Errorf("known %v: the next tick told %v, want achieved: %v", known, told, want)
		}
	}
}

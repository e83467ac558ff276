package goalkit_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// The ticks of a tracker given WithNotificationsSince at a local midnight
// (some of them before it) tell, of goals whose progress only grows
// (counts of events never corrected), the same achieved, milestone_reached
// and failed as Plan.Evaluate as of the last tick's instant with the same
// Since: with values that only grow, a transition crossed between the two
// instants is seen by comparing them, and none before Since is told.
// Several participants and monthly instances, in the plan's zone.
func TestTrackerFirstTickFromSinceAsEvaluate(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) { ticksFromSinceAsEvaluate(t, false) })
}

// ticksFromSinceAsEvaluate draws a plan, calls, Since (at a local
// midnight, or at any hour with insideDay) and the instants of ticks,
// and fails unless the ticks tell what Evaluate as of the last tells
// (see TestTrackerFirstTickFromSinceAsEvaluate).
func ticksFromSinceAsEvaluate(t *rapid.T, insideDay bool) {
	ctx := context.Background()
	zone := rapid.SampledFrom([]string{"UTC", "America/New_York", "Asia/Tokyo"}).Draw(t, "zone")
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	plan := compile(t, parseDef(t, fmt.Sprintf(`timezone: %s
indicators:
  - id: calls
    kinds: [call]
    aggregate: count
report: {grain: month, from: 2025-01-01, to: 2025-07-01}
goals:
  - id: g
    indicator: calls
    target: 4
    period: {from: 2025-01-01, every: month}
    participants: {users: [u1, u2, u3]}
    milestones: [50%%]
    notify: [{on: achieved}, {on: milestone_reached}, {on: failed}]
`, zone)))
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, loc)
	day := rapid.IntRange(0, 120).Draw(t, "since day")
	since := start.AddDate(0, 0, day)
	if insideDay {
		since = since.Add(time.Duration(rapid.IntRange(0, 23).Draw(t, "since hour")) * time.Hour)
	}
	// Ticks at instants from ten days before Since to fifty after,
	// in order; the last is after Since.
	hours := rapid.SliceOfN(rapid.IntRange(-10*24, 50*24), 1, 4).Draw(t, "tick hours from since")
	slices.Sort(hours)
	hours[len(hours)-1] = max(hours[len(hours)-1], 0)
	asOf := since.Add(time.Duration(hours[len(hours)-1]) * time.Hour)
	tr := startTracker(t, plan, goalkit.WithNotificationsSince(since))
	n := rapid.IntRange(0, 40).Draw(t, "events")
	for i := range n {
		e := kpi.Event{ID: fmt.Sprint("e", i), Kind: "call", Actor: rapid.SampledFrom([]string{"u1", "u2", "u3"}).Draw(t, "actor"),
			Time: start.Add(time.Duration(rapid.IntRange(0, 180*24).Draw(t, "hour")) * time.Hour)}
		if err := tr.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	kinds := []goal.NotifyKind{goal.NotifyAchieved, goal.NotifyMilestoneReached, goal.NotifyFailed}
	var want, got []string
	for _, n := range evaluatedSince(t, plan, tr, asOf, since) {
		if slices.Contains(kinds, n.Kind) {
			want = append(want, n.Key)
		}
	}
	for _, h := range hours {
		at := since.Add(time.Duration(h) * time.Hour)
		ns := mustTick(t, tr, at)
		for _, n := range ns {
			if slices.Contains(kinds, n.Kind) {
				got = append(got, n.Key)
			}
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("ticks at %v hours from %s: %v\nEvaluate as of the last: %v", hours, since, got, want)
	}
}

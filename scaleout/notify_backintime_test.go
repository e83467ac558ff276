package scaleout_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
)

// annaCalls is the plan of the Notify revocation tests, a goal of one
// call a month for anna that notifies its achievement, and a source
// holding her call of 5 March.
func annaCalls(t *testing.T) (*goalkit.Plan, *memory.Store) {
	t.Helper()
	plan := callsGoal(t, "anna")
	src := memory.New(time.UTC)
	call := kpi.Event{ID: "1", Kind: "call", Actor: "anna", Time: time.Date(2025, 3, 5, 10, 0, 0, 0, time.UTC)}
	if err := src.Import(context.Background(), func(add func(*kpi.Event) error) error { return add(&call) }); err != nil {
		t.Fatal(err)
	}
	return plan, src
}

// callsGoal is a plan of March and April 2025 whose goal g, one call a
// month for each of users (a YAML list's elements), notifies its
// achievement.
func callsGoal(t *testing.T, users string) *goalkit.Plan {
	t.Helper()
	return goalkittest.CompilePlan(t, `timezone: UTC
indicators:
  - {id: calls, kinds: [call], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-05-01}
goals:
  - id: g
    indicator: calls
    target: 1
    period: {from: 2025-03-01, every: month}
    participants: {users: [`+users+`]}
    notify: [{on: achieved}]
`)
}

// Notify at an instant before that of an earlier call (the notifiers of a
// scaled-out deployment tick on their own clocks, which never agree to
// the second; a host that runs `goalkit notify -once -as-of` over an
// earlier day) tells nothing that did not happen, as a live tracker's
// Tick tells nothing on a tick back in time
// (TestTrackerTickBackInTimeRevokesNothing): no event changed, the goal
// achieved by the call of 5 March stays achieved.
//
// Expected: the call as of 3 March emits nothing. Today it emits
// achievement_revoked: the fresh tracker it ticks knows the ledger's keys
// but not the instant they were told at, judges the achievement at its own
// instant alone, before the call that reached it, and takes it back; the
// ledger then holds the revocation as the last word, and the achieved key
// keeps every later call from saying achieved again.
func TestNotifyBackInTimeRevokesNothing(t *testing.T) {
	ctx := context.Background()
	plan, src := annaCalls(t)
	ledger := &scaleout.MemoryLedger{}
	day := func(d int) time.Time { return time.Date(2025, 3, d, 12, 0, 0, 0, time.UTC) }
	ns, err := scaleout.Notify(ctx, plan, src, ledger, day(10))
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 1 || ns[0].Kind != goal.NotifyAchieved {
		t.Fatalf("notify as of 10 March: %+v; want achieved", ns)
	}
	for _, d := range []int{3, 11} {
		ns, err := scaleout.Notify(ctx, plan, src, ledger, day(d))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range ns {
			t.Errorf("notify as of %d March, after one as of 10 March, emitted %s, though no event changed", d, n.Key)
		}
	}
}

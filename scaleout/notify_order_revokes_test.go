package scaleout_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"pgregory.net/rapid"
)

// Notify called at instants in any order (notifiers on clocks that do not
// agree, runs as of earlier days) over a source whose goals' progress only
// grows (calls never corrected) never takes an achievement back: an
// achievement told at an instant is reached at every later one, and a
// call as of an earlier instant judges none it was told after. Every
// achieved key told is one the goal reached by the latest instant asked.
// Several participants and monthly instances, with or without
// WithNotificationsSince at a midnight.
func TestNotifyInAnyOrderRevokesNothingThatOnlyGrows(t *testing.T) {
	plan := goalkittest.CompilePlan(t, `timezone: UTC
indicators:
  - {id: calls, kinds: [call], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-06-01}
goals:
  - id: g
    indicator: calls
    target: 2
    period: {from: 2025-03-01, every: month}
    participants: {users: [anna, boris, vera]}
    notify: [{on: achieved}, {on: failed}]
`)
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
		src := memory.New(time.UTC)
		n := rapid.IntRange(0, 20).Draw(t, "calls")
		events := make([]kpi.Event, n)
		for i := range events {
			events[i] = kpi.Event{ID: fmt.Sprint("c", i), Kind: "call", Actor: rapid.SampledFrom([]string{"anna", "boris", "vera"}).Draw(t, "actor"),
				Time: start.Add(time.Duration(rapid.IntRange(0, 90*24).Draw(t, "hour")) * time.Hour)}
		}
		if err := src.Apply(events...); err != nil {
			t.Fatal(err)
		}
		var opts []goalkit.EvalOption
		if rapid.Bool().Draw(t, "since") {
			opts = append(opts, goalkit.WithNotificationsSince(start.AddDate(0, 0, rapid.IntRange(0, 60).Draw(t, "since day"))))
		}
		ledger := &scaleout.MemoryLedger{}
		var latest time.Time
		told := map[string]bool{}
		for _, h := range rapid.SliceOfN(rapid.IntRange(0, 92*24), 1, 6).Draw(t, "call hours") {
			at := start.Add(time.Duration(h)*time.Hour + time.Duration(rapid.IntRange(0, 3599).Draw(t, "second"))*time.Second)
			if at.After(latest) {
				latest = at
			}
			ns, err := scaleout.Notify(ctx, plan, src, ledger, at, opts...)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range ns {
				if n.Kind == goal.NotifyAchievementRevoked {
					t.Fatalf("Notify as of %s took back %s, though the calls only grow", at, n.Key)
				}
				if n.Kind == goal.NotifyAchieved {
					told[n.Participant+" "+n.Period] = true
				}
			}
		}
		// The calls of each participant and month by the latest instant.
		count := map[string]int{}
		for _, e := range events {
			if !e.Time.After(latest) {
				count[e.Actor+" "+e.Time.Format("2006-01")]++
			}
		}
		for k := range told {
			if count[k] < 2 {
				t.Fatalf("achieved told for %s, with %d calls by %s", k, count[k], latest)
			}
		}
	})
}

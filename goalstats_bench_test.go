package goalkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
)

// BenchmarkGoalStats evaluates the standard workload's plan over
// 1,000,000 events with a March goal of 18 calls and meetings for each of
// the 2,000 users (about half of them achieve it) and a revenue goal for
// the company: without goal statistics, with them (every achieved
// instance timed from its events), and with them as known at the as-of
// instant (each achieved instance explained over the whole table).
func BenchmarkGoalStats(b *testing.B) {
	plan := workloadPlan(b, "report:\n  grain: month\n  from: 2025-01-01\n  to: 2026-01-01", `report:
  grain: month
  from: 2025-03-01
  to: 2025-04-01
goals:
  - id: activity18
    indicator: activity
    target: 18
    period: {from: 2025-01-01, every: month}
    participants: {company: true, mode: each}
  - id: revenue
    indicator: won_sum
    target: 100000000
    period: {from: 2025-01-01, every: month}
    participants: {company: true}`)
	store := workloadStore(b, plan, 1_000_000)
	asOf := time.Date(2025, 4, 1, 0, 0, 0, 0, plan.Calendar().Location())
	rep := mustEvaluate(b, plan, store, asOf, goalkit.WithGoalStats())
	if n, a := rep.GoalStats.Total.Instances, rep.GoalStats.Total.TimeToAchievement.Instances; n < 2000 || a < 500 {
		b.Fatalf("%d instances, %d timed", n, a)
	}
	b.Logf("%d instances, %d achieved, %d timed", rep.GoalStats.Total.Instances, rep.GoalStats.Total.Achieved, rep.GoalStats.Total.TimeToAchievement.Instances)
	for _, bb := range []struct {
		name string
		opts []goalkit.EvalOption
	}{{"plain", nil}, {"goal_stats", []goalkit.EvalOption{goalkit.WithGoalStats()}},
		{"goal_stats_known_at", []goalkit.EvalOption{goalkit.WithGoalStats(), goalkit.WithKnownAt(asOf)}}} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := plan.Evaluate(context.Background(), store, asOf, bb.opts...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

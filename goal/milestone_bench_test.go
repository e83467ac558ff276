package goal

import (
	"testing"

	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// BenchmarkMilestonesReached judges a row's milestones as an evaluation
// does (reachedMilestones): 25 %, 50 %, 100 % and 150 % of a target of
// 120,000 and an absolute 50,000, by an actual of 61,250.50, either way.
func BenchmarkMilestonesReached(b *testing.B) {
	ms := []Milestone{Percent(25), Percent(50), Percent(100), Percent(150), {Value: decimal.NewFromInt(50_000)}}
	actual, target := decimal.NewNullDecimal(decimal.New(6125050, -2)), decimal.NewNullDecimal(decimal.NewFromInt(120_000))
	for b.Loop() {
		for _, dir := range []score.Direction{score.HigherIsBetter, score.LowerIsBetter} {
			reachedMilestones(ms, dir, actual, target)
		}
	}
}

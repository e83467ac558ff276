package goal

import (
	"slices"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
)

// A goal reads its indicator's aggregate and percentile from the compiled
// indicator its values come from (Env.Compiled where given), not from
// Env.Indicators: a caller whose definitions say a p of 1.5 (which kpi
// refuses) beside a compiled 0.9 made the accrual of the instant the goal
// was achieved index an empty heap (a panic), and one whose definitions
// say sum beside a compiled median accrued a sum (the median goal met 5
// from the first deal, of 10, where the median meets it from the 12th).
// The rows are checked against TestAchievedAtOfPercentile's hand counts.
func TestGoalReadsTheCompiledIndicator(t *testing.T) {
	cal := enginetest.Calendar(t, "Europe/Berlin")
	inds, defs := percentileGoals()
	compiled, err := kpi.Compile(inds, kpi.Env{Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	said := slices.Clone(inds)
	said[0].Aggregate = kpi.Sum
	said[1].P = dp("1.5")
	s, err := Compile(defs, Env{Calendar: cal, Indicators: said, Compiled: compiled})
	if err != nil {
		t.Fatal(err)
	}
	checkPercentileAchieved(t, cal, s)
}

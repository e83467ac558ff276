package goal

import (
	"testing"

	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// BenchmarkClassifyRunning classifies running rows as an evaluation does:
// forecasts of 96,000.50, 110,000 and 70,000 against a target of 100,000
// (at risk, on track, off track), either way, by the default thresholds;
// then by a chance of 0.62 against 0.7 and 0.4.
func BenchmarkClassifyRunning(b *testing.B) {
	n := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	var ins []StatusInput
	for _, dir := range []score.Direction{score.HigherIsBetter, score.LowerIsBetter} {
		for _, f := range []string{"96000.50", "110000", "70000"} {
			ins = append(ins, StatusInput{Direction: dir, Measure: Level, Started: true, Actual: n("90000"), Target: n("100000"), Forecast: n(f)})
		}
	}
	ins = append(ins, StatusInput{Direction: score.HigherIsBetter, Measure: Cumulative, Started: true, Actual: n("50000"), Target: n("100000"),
		Forecast: n("96000"), Chance: n("0.62"), ChanceAtRisk: decimal.RequireFromString("0.7"), ChanceOffTrack: decimal.RequireFromString("0.4")})
	for b.Loop() {
		for i := range ins {
			Classify(ins[i])
		}
	}
}

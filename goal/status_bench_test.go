package goal

import (
	"testing"
	"time"

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

// BenchmarkNotifyThreshold judges rows by threshold rules as a report
// does: forecasts of 47.5 and 48 against 50 by a threshold of 0.95 (no
// transition), each rule on both rows.
func BenchmarkNotifyThreshold(b *testing.B) {
	prev, next := baseRow(), baseRow()
	prev.Forecast, next.Forecast = nd("47.5"), nd("48")
	rules := []NotifyRule{{On: NotifyAtRisk, Threshold: nd("0.95")}, {On: NotifyBackOnTrack, Threshold: nd("0.95")}}
	for b.Loop() {
		Notify(rules, &prev, &next, time.Time{})
	}
}

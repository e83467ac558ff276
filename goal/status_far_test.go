package goal

import (
	"math"
	"testing"
	"time"

	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// A running goal's status compares its forecast's achievement with the
// thresholds by orders of magnitude: a forecast of 10^-2147483600 or
// 10^2147483647 against a target of 5 (values near 10^±2^31 a host
// passes) never returned, as Cmp scaled the threshold (0.8, 1) to the
// ratio's exponent or the ratio to the threshold's. Hand counts: a ratio
// of 2·10^-2147483601 is below 0.8, off track; one of 2·10^2147483646 at
// least 1, on track; a cost forecast of 10^2147483647 against 5 has a
// ratio of 5·10^-2147483647, off track. Each case fails after 5 s.
func TestClassifyFarForecast(t *testing.T) {
	n := func(d decimal.Decimal) decimal.NullDecimal { return decimal.NewNullDecimal(d) }
	tiny, huge := decimal.New(1, -2147483600), decimal.New(1, math.MaxInt32)
	for _, c := range []struct {
		name     string
		dir      score.Direction
		forecast decimal.Decimal
		want     Status
	}{
		{"a tiny forecast", score.HigherIsBetter, tiny, OffTrack},
		{"a huge forecast", score.HigherIsBetter, huge, OnTrack},
		{"a huge cost", score.LowerIsBetter, huge, OffTrack},
		{"a tiny cost", score.LowerIsBetter, tiny, OnTrack},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := StatusInput{Direction: c.dir, Measure: Level, Started: true, Actual: n(decimal.NewFromInt(6)), Target: n(decimal.NewFromInt(5)), Forecast: n(c.forecast)}
			if c.dir == score.HigherIsBetter {
				in.Actual = n(decimal.NewFromInt(1))
			}
			done := make(chan Status, 1)
			go func() { done <- Classify(in) }()
			select {
			case got := <-done:
				if got != c.want {
					t.Errorf("Classify: %s, want %s", got, c.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Classify did not return in 5 s")
			}
		})
	}
}

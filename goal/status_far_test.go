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

// A threshold rule's at_risk and back_on_track compare the forecast's
// achievement with the threshold by orders of magnitude, as the status
// does: a forecast of 10^-2147483600 against a target of 50 (an
// achievement of 2·10^-2147483602, below 0.95) never returned, nor did
// one of 10^2147483647 back on track. Each case fails after 5 s.
func TestNotifyThresholdFarForecast(t *testing.T) {
	rules := []NotifyRule{{On: NotifyAtRisk, Threshold: nd("0.95")}, {On: NotifyBackOnTrack, Threshold: nd("0.95")}}
	tiny, huge := decimal.NewNullDecimal(decimal.New(1, -2147483600)), decimal.NewNullDecimal(decimal.New(1, math.MaxInt32))
	for _, c := range []struct {
		name          string
		before, after decimal.NullDecimal
		want          string
	}{
		{"behind", nd("50"), tiny, "at_risk/leads/anna/2025-03/2025-03-10"},
		{"back on track", tiny, huge, "back_on_track/leads/anna/2025-03/2025-03-10"},
	} {
		t.Run(c.name, func(t *testing.T) {
			prev, next := baseRow(), baseRow()
			prev.Forecast, next.Forecast = c.before, c.after
			done := make(chan []Notification, 1)
			go func() { done <- Notify(rules, &prev, &next, time.Time{}) }()
			select {
			case got := <-done:
				if len(got) != 1 || got[0].Key != c.want {
					t.Errorf("Notify: %v, want %s", got, c.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Notify did not return in 5 s")
			}
		})
	}
}

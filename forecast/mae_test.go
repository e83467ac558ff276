package forecast

import (
	"testing"

	"github.com/shopspring/decimal"
)

// The mean absolute error and the relative one are rounded once, from the
// exact quotient, as the Brier score is: an error of 3 000 000 000 000.01499
// over 3 forecasts is a mean of 1 000 000 000 000.0049966…, 0.00 past the
// whole; rounded first to 16 digits (…000.005) it became 0.01.
func TestBacktestMAERoundedOnce(t *testing.T) {
	sc := NewScorer([]string{"m"}, []string{"50%"})
	for _, f := range []string{"1000000000000", "1000000000000", "1000000000000.01499"} {
		sc.Add(0, Case{Final: dec(f), Points: []decimal.Decimal{dec("0")}, P: []decimal.NullDecimal{{}}})
	}
	_, ms := sc.Result()
	if got := ms[0].MAE.String(); got != "1000000000000" {
		t.Errorf("MAE %s, want 1000000000000 (1 000 000 000 000.0049966… to 2 places)", got)
	}
	if got := ms[0].RelativeMAE.String(); got != "1" {
		t.Errorf("relative MAE %s, want 1", got)
	}
}

package forecast

import (
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
)

// A distribution a host builds by hand, the zero Distribution, reads as a
// forecast with every number undefined, as Simulate's refusal of nothing
// to draw from reads in a goal's row; it read a chance of 0 and
// percentiles of 0. A simulated one reads its percentiles and chance.
func TestSummary(t *testing.T) {
	target := decimal.NewNullDecimal(dec("100"))
	for _, lower := range []bool{false, true} {
		if got := (Distribution{}).Summary(target, lower); got != (Chance{}) {
			t.Errorf("the zero Distribution, lower %v: %+v, want every number undefined", lower, got)
		}
	}
	// Four working days to come of a history whose working days are all
	// 10: every path ends at 5 + 4·10 = 45.
	d := mustSimulate(t, Input{Actual: dec("5"), Remaining: slots(4, 0), History: [][]Day{week(1, "10", "0")}, Samples: 50})
	final := new(big.Rat).SetInt64(45)
	for _, tc := range []struct {
		target decimal.NullDecimal
		lower  bool
	}{
		{decimal.NewNullDecimal(dec("45")), false},
		{decimal.NewNullDecimal(dec("45.000001")), false},
		{decimal.NewNullDecimal(dec("44.99")), true},
		{decimal.NewNullDecimal(dec("45")), true},
		{decimal.NullDecimal{}, false},
	} {
		got := d.Summary(tc.target, tc.lower)
		if got.Samples != 50 {
			t.Errorf("%v: %d samples, want 50", tc.target, got.Samples)
		}
		for _, q := range []decimal.NullDecimal{got.P10, got.P50, got.P90} {
			if !q.Valid || q.Decimal.Rat().Cmp(final) != 0 {
				t.Errorf("%v: a percentile %v, want 45", tc.target, q)
			}
		}
		if !tc.target.Valid {
			if got.Reach.Valid {
				t.Errorf("no target: reach %v, want undefined", got.Reach)
			}
			continue
		}
		c := final.Cmp(tc.target.Decimal.Rat())
		want := int64(0)
		if c == 0 || c > 0 && !tc.lower || c < 0 && tc.lower {
			want = 1
		}
		if !got.Reach.Valid || got.Reach.Decimal.Rat().Cmp(new(big.Rat).SetInt64(want)) != 0 {
			t.Errorf("target %v, lower %v: reach %v, want %d", tc.target.Decimal, tc.lower, got.Reach, want)
		}
	}
}

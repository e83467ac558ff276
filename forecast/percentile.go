package forecast

import (
	"slices"

	"github.com/shopspring/decimal"
)

// Percentile returns the q-quantile of xs, q in [0, 1], interpolated
// linearly between the order statistics around the position q·(n−1) (the
// usual "type 7" definition: the median of 1, 2, 3, 10 is 2.5, its 0.9
// quantile 7.9). ok is false for no values, and for a q outside [0, 1]
// (a percent, 90, given for the share 0.9), which no share of the values
// is.
func Percentile(xs []decimal.Decimal, q decimal.Decimal) (decimal.Decimal, bool) {
	if len(xs) == 0 || q.Sign() < 0 || q.Cmp(one) > 0 {
		return decimal.Decimal{}, false
	}
	s := slices.Clone(xs)
	slices.SortFunc(s, func(a, b decimal.Decimal) int { return a.Cmp(b) })
	pos := q.Mul(decimal.NewFromInt(int64(len(s) - 1)))
	lo := pos.Floor()
	i := int(lo.IntPart())
	if i >= len(s)-1 {
		return s[len(s)-1], true
	}
	frac := pos.Sub(lo)
	return s[i].Add(s[i+1].Sub(s[i]).Mul(frac)), true
}

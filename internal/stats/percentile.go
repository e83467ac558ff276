package stats

import "github.com/shopspring/decimal"

// PercentileCont returns the p-th percentile (0 ≤ p ≤ 1) of sorted, a
// non-empty list of values in ascending order, as PostgreSQL's
// percentile_cont computes it: the value at the position p × (n − 1) of the
// list (counting from 0), interpolated linearly between the two values
// around that position when it falls between them. p = 0.5 is the median
// (the mean of the two middle values of an even count), 0 the smallest
// value and 1 the largest.
//
// The result is exact: the position, the fraction between neighbours and
// the interpolation are decimal products and sums, never rounded. It panics
// when sorted is empty or p lies outside [0, 1], as an index out of range
// does; callers decide what the percentile of nothing is (SQL's NULL).
func PercentileCont(sorted []decimal.Decimal, p decimal.Decimal) decimal.Decimal {
	n := len(sorted)
	if n == 0 {
		panic("stats: percentile of no values")
	}
	if p.IsNegative() || p.GreaterThan(decimal.NewFromInt(1)) {
		panic("stats: percentile " + p.String() + " is outside [0, 1]")
	}
	pos := p.Mul(decimal.NewFromInt(int64(n - 1)))
	i := pos.IntPart() // pos ≥ 0: the whole part is the floor
	frac := pos.Sub(decimal.NewFromInt(i))
	lo := sorted[i]
	if frac.IsZero() {
		return lo
	}
	return lo.Add(frac.Mul(sorted[i+1].Sub(lo)))
}

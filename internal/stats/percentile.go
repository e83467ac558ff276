package stats

import "github.com/shopspring/decimal"

// PercentileCont returns the p-th percentile (0 ≤ p ≤ 1) of values sorted in
// ascending order, interpolated as PostgreSQL's percentile_cont: the value
// at position p·(n−1) of the sorted list (counted from 0), linear between
// the two neighbours when the position falls between them. The result is
// exact: it is sorted[i] + f·(sorted[i+1] − sorted[i]) with f the decimal
// fraction of the position, and no division is made. p = 0.5 is the median
// (the mean of the two middle values of an even count).
//
// A p below 0 is taken as 0 and one above 1 as 1 (callers validate p);
// sorted must not be empty, and an empty list gives zero (callers report
// the percentile of nothing as undefined before calling).
func PercentileCont(sorted []decimal.Decimal, p decimal.Decimal) decimal.Decimal {
	n := len(sorted)
	if n == 0 {
		return decimal.Zero
	}
	switch {
	case p.Sign() <= 0:
		return sorted[0]
	case p.Cmp(decimal.NewFromInt(1)) >= 0:
		return sorted[n-1]
	}
	pos := p.Mul(decimal.NewFromInt(int64(n - 1)))
	i := pos.Floor()
	lo := int(i.IntPart())
	f := pos.Sub(i)
	if f.IsZero() || lo >= n-1 {
		return sorted[lo]
	}
	return sorted[lo].Add(f.Mul(sorted[lo+1].Sub(sorted[lo])))
}

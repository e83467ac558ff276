package goal

import (
	"cmp"

	"github.com/shopspring/decimal"
)

// pow10 are the powers of ten an int64 holds.
var pow10 = [...]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// cmpDecimal compares x and y as x.Cmp(y) does, without allocating when
// both coefficients have at most 18 digits (Cmp brings two decimals of
// different exponents to one, in new big integers: ranking a report's
// rows compared thousands of achievements).
func cmpDecimal(x, y decimal.Decimal) int {
	nx, ny := x.NumDigits(), y.NumDigits()
	if nx > 18 || ny > 18 {
		return x.Cmp(y)
	}
	sx, sy := x.Sign(), y.Sign()
	if sx != sy || sx == 0 {
		return cmp.Compare(sx, sy)
	}
	// |x| lies in [10^(ax-1), 10^ax), |y| in [10^(ay-1), 10^ay).
	ex, ey := x.Exponent(), y.Exponent()
	ax, ay := int64(nx)+int64(ex), int64(ny)+int64(ey)
	if ax != ay {
		return sx * cmp.Compare(ax, ay)
	}
	// The same order of magnitude: the exponents differ by the digits,
	// and the coefficient with fewer is scaled to the other's (at most 18
	// digits).
	cx, cy := x.CoefficientInt64(), y.CoefficientInt64()
	switch {
	case ex > ey:
		cx *= pow10[ex-ey]
	case ey > ex:
		cy *= pow10[ey-ex]
	}
	return cmp.Compare(cx, cy)
}

package decimalx

import (
	"cmp"

	"github.com/shopspring/decimal"
)

// Cmp compares x and y as x.Cmp(y) does, without allocating when
// both coefficients have at most 18 digits (Cmp brings two decimals of
// different exponents to one, in new big integers: ranking a report's
// rows compared thousands of achievements).
func Cmp(x, y decimal.Decimal) int {
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
		cx *= int64(pow10[ex-ey])
	case ey > ex:
		cy *= int64(pow10[ey-ex])
	}
	return cmp.Compare(cx, cy)
}

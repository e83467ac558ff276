package decimalx

import (
	"cmp"

	"github.com/shopspring/decimal"
)

// Cmp compares x and y as x.Cmp(y) does, without allocating when
// both coefficients have at most 18 digits (Cmp brings two decimals of
// different exponents to one, in new big integers: ranking a report's
// rows compared thousands of achievements). Two numbers of different
// orders of magnitude compare by them alone, whatever their digits:
// Decimal.Cmp scaled one to the other's exponent, a power of ten of as
// many digits as the exponents are apart.
func Cmp(x, y decimal.Decimal) int {
	sx, sy := x.Sign(), y.Sign()
	if sx != sy || sx == 0 {
		return cmp.Compare(sx, sy)
	}
	ex, ey := x.Exponent(), y.Exponent()
	if ex == ey {
		return x.Cmp(y) // nothing to scale: the coefficients compare
	}
	// |x| lies in [10^(ax-1), 10^ax), |y| in [10^(ay-1), 10^ay).
	nx, ny := x.NumDigits(), y.NumDigits()
	ax, ay := int64(nx)+int64(ex), int64(ny)+int64(ey)
	if ax != ay {
		return sx * cmp.Compare(ax, ay)
	}
	if nx > 18 || ny > 18 {
		return x.Cmp(y) // the exponents are at most the digits apart
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

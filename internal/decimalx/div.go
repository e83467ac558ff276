// Package decimalx holds the decimal arithmetic every goalkit package shares:
// division that is exact when the quotient terminates and keeps 16 significant
// digits when it does not.
package decimalx

import (
	"math/big"

	"github.com/shopspring/decimal"
)

// SignificantDigits is how many significant digits a non-terminating quotient
// keeps. Rounding is half away from zero.
const SignificantDigits = 16

var (
	bigTwo  = big.NewInt(2)
	bigFive = big.NewInt(5)
)

// Div returns a / b and true, or false when b is zero. The quotient is exact
// when its decimal expansion terminates (with up to maxExactPlaces places), and
// is otherwise rounded half away from zero to SignificantDigits significant
// digits. It never reads decimal's package globals.
func Div(a, b decimal.Decimal) (decimal.Decimal, bool) {
	if b.IsZero() {
		return decimal.Decimal{}, false
	}
	if a.IsZero() {
		return decimal.Zero, true
	}
	if places, ok := exactPlaces(a, b); ok {
		return a.DivRound(b, places), true
	}
	e := int32(numDigits(a.Coefficient())) + a.Exponent() - int32(numDigits(b.Coefficient())) - b.Exponent()
	// |a/b| lies in (10^(e-1), 10^(e+1)): its leading digit is at 10^(e-1) or 10^e.
	q := a.DivRound(b, SignificantDigits-e)
	if q.Abs().Cmp(decimal.New(1, e)) >= 0 {
		q = a.DivRound(b, SignificantDigits-1-e)
	}
	return q, true
}

// maxExactPlaces bounds the places of an exact terminating quotient; longer
// expansions are rounded like non-terminating ones.
const maxExactPlaces = 64

// exactPlaces reports whether a/b terminates and how many decimal places it
// needs.
func exactPlaces(a, b decimal.Decimal) (int32, bool) {
	ca, cb := a.Coefficient(), b.Coefficient()
	ca.Abs(ca)
	cb.Abs(cb)
	g := new(big.Int).GCD(nil, nil, ca, cb)
	den := new(big.Int).Quo(cb, g)
	var twos, fives int32
	m := new(big.Int)
	for {
		q, r := new(big.Int).QuoRem(den, bigTwo, m)
		if r.Sign() != 0 {
			break
		}
		den, twos = q, twos+1
	}
	for {
		q, r := new(big.Int).QuoRem(den, bigFive, m)
		if r.Sign() != 0 {
			break
		}
		den, fives = q, fives+1
	}
	if den.Cmp(big.NewInt(1)) != 0 {
		return 0, false
	}
	// (ca/cb) needs max(twos, fives) places; the exponents shift it.
	places := max(twos, fives) - (a.Exponent() - b.Exponent())
	if places < 0 {
		places = 0
	}
	if places > maxExactPlaces {
		return 0, false
	}
	return places, true
}

func numDigits(x *big.Int) int {
	if x.Sign() == 0 {
		return 1
	}
	return len(new(big.Int).Abs(x).Text(10))
}

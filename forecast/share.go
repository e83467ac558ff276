package forecast

import (
	"math"

	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/shopspring/decimal"
)

// Share is an exact ratio Num/Den in [0, 1]: the part of a cumulative
// target expected by an instant (a goal's pace).
type Share struct {
	Num, Den decimal.Decimal
}

// Decimal returns the share as a decimal (exact when it terminates, else 16
// significant digits); ok is false for a zero denominator and when the
// quotient has no decimal's 32-bit exponent (a numerator and denominator
// a host passes with exponents near ±2^31), rather than 0.
func (s Share) Decimal() (decimal.Decimal, bool) {
	return decimalx.Div(s.Num, s.Den)
}

// Of returns x times the share, divided last so that it is exact when it can
// be; ok is false for a zero denominator and when the result has no
// decimal's 32-bit exponent (an x a host passes with an exponent near
// ±2^31: a third of 1e-2147483648 is 3.333333333333333e-2147483649), rather
// than 0. A product of x and the numerator past 32 bits of exponent is
// divided all the same (where Decimal.Mul panicked): half of 1e-2147483648
// by a numerator of 0.5 over 1 is undefined, over 0.5 it is 1e-2147483648.
func (s Share) Of(x decimal.Decimal) (decimal.Decimal, bool) {
	e := int64(x.Exponent()) + int64(s.Num.Exponent())
	if e >= math.MinInt32 && e <= math.MaxInt32 {
		return decimalx.Div(x.Mul(s.Num), s.Den)
	}
	// The product's coefficient over the denominator's, with exponents
	// whose difference is the product's less the denominator's, e - d.
	// Past what two 32-bit exponents differ by, the quotient's exponent is
	// out of 32 bits as well (its digits move it by far less).
	c := decimal.NewFromBigInt(x.Coefficient(), 0).Mul(decimal.NewFromBigInt(s.Num.Coefficient(), 0)).Coefficient()
	if c.Sign() == 0 {
		return decimalx.Div(decimal.Zero, s.Den) // 0, or false for a zero denominator
	}
	diff := e - int64(s.Den.Exponent())
	var ea int64
	switch {
	case diff >= 0 && diff <= math.MaxInt32-math.MinInt32:
		ea = min(diff, math.MaxInt32)
	case diff < 0 && diff >= math.MinInt32-math.MaxInt32:
		ea = max(diff, math.MinInt32)
	default:
		return decimal.Decimal{}, false
	}
	return decimalx.Div(decimal.NewFromBigInt(c, int32(ea)), decimal.NewFromBigInt(s.Den.Coefficient(), int32(ea-diff)))
}

package formula

import "github.com/shopspring/decimal"

// Helpers for hosts of the language (the indicator engine) that build and
// combine number values outside a program, with the language's own semantics.

// Scaled returns the number c·10^exp without going through a decimal.Decimal.
func Scaled(c int64, exp int32) Value {
	if c > -tenPow18 && c < tenPow18 {
		return small(c, exp)
	}
	return bigVal(decimal.New(c, exp))
}

// Quotient returns a / b as the language's `/` computes it: exact when the
// quotient terminates, otherwise rounded to 16 significant digits; undefined
// when b is zero, either operand is not a number, or the quotient is beyond
// the language's number limits (as EvalNode treats them).
func Quotient(a, b Value) (v Value) {
	if a.Type() != TypeNumber || b.Type() != TypeNumber {
		return Undefined()
	}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(*evalPanic); !ok {
				panic(r)
			}
			v = Undefined()
		}
	}()
	return divNum(a, b, 0)
}

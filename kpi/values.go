package kpi

import (
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/shopspring/decimal"
)

// divide is a / b, exact when the quotient terminates and rounded to 16
// significant digits when it does not; false when b is zero.
func divide(a, b decimal.Decimal) (decimal.Decimal, bool) { return decimalx.Div(a, b) }

// nullValue converts a formula value to a nullable decimal.
func nullValue(v formula.Value) decimal.NullDecimal {
	if d, ok := v.Number(); ok {
		return decimal.NewNullDecimal(d)
	}
	return decimal.NullDecimal{}
}

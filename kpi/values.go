package kpi

import (
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/shopspring/decimal"
)

// divide is a / b, exact when the quotient terminates and rounded to 16
// significant digits when it does not; false when b is zero.
func divide(a, b decimal.Decimal) (decimal.Decimal, bool) { return decimalx.Div(a, b) }

// attrValue converts an attribute's Go value to a formula value.
func attrValue(v any) formula.Value {
	switch x := v.(type) {
	case nil:
		return formula.Undefined()
	case string:
		return formula.String(x)
	case int64:
		return formula.Int(x)
	case int:
		return formula.Int(int64(x))
	case bool:
		return formula.Bool(x)
	case decimal.Decimal:
		return formula.Number(x)
	case time.Time:
		return formula.Time(x)
	}
	return formula.Undefined()
}

// nullValue converts a formula value to a nullable decimal.
func nullValue(v formula.Value) decimal.NullDecimal {
	if d, ok := v.Number(); ok {
		return decimal.NewNullDecimal(d)
	}
	return decimal.NullDecimal{}
}

package forecast

import (
	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/shopspring/decimal"
)

// Share is an exact ratio Num/Den in [0, 1]: the part of a cumulative
// target expected by an instant (a goal's pace).
type Share struct {
	Num, Den decimal.Decimal
}

// Decimal returns the share as a decimal (exact when it terminates, else 16
// significant digits).
func (s Share) Decimal() decimal.Decimal {
	q, ok := decimalx.Div(s.Num, s.Den)
	if !ok {
		return decimal.Zero
	}
	return q
}

// Of returns x times the share, divided last so that it is exact when it can
// be.
func (s Share) Of(x decimal.Decimal) decimal.Decimal {
	q, ok := decimalx.Div(x.Mul(s.Num), s.Den)
	if !ok {
		return decimal.Zero
	}
	return q
}

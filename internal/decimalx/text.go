package decimalx

import "github.com/shopspring/decimal"

// Text is how goalkit's JSON writes an optional number: a string holding
// the exact decimal ("12.5"), or nil (null) when the number is undefined;
// never a float64, and independent of decimal's package settings.
func Text(d decimal.NullDecimal) *string {
	if !d.Valid {
		return nil
	}
	s := d.Decimal.String()
	return &s
}

package decimalx

import "github.com/shopspring/decimal"

// Text is how goalkit's JSON writes an optional number: a string holding
// the exact decimal ("12.5"), or nil (null) when the number is undefined;
// never a float64, and independent of decimal's package settings. The
// number is written whole whatever its exponent (1e-10000 with its 10,000
// places): JSON's numbers are exact. Text for people (a notification's
// message, an error) quotes a long number shortened with display.Number.
func Text(d decimal.NullDecimal) *string {
	if !d.Valid {
		return nil
	}
	s := d.Decimal.String()
	return &s
}

package enginetest

import (
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Date is the ISO date s ("2025-03-10"); it panics when s is not one.
func Date(s string) date.Date { return date.MustParseISO(s) }

// Dec is the decimal s ("12.50"); it panics when s is not one.
func Dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// Null is the decimal s as a defined value of a result.
func Null(s string) decimal.NullDecimal { return decimal.NewNullDecimal(Dec(s)) }

// Ptr is the decimal s as an optional number of a definition.
func Ptr(s string) *decimal.Decimal {
	x := Dec(s)
	return &x
}

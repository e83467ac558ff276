package decimalx

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestText(t *testing.T) {
	for _, c := range []struct {
		in   decimal.NullDecimal
		want string
	}{
		{decimal.NullDecimal{}, "<nil>"},
		{decimal.NewNullDecimal(decimal.RequireFromString("12.50")), "12.5"},
		{decimal.NewNullDecimal(decimal.New(-3, -8)), "-0.00000003"},
		{decimal.NewNullDecimal(decimal.RequireFromString("123456789012345678901234567890.1")), "123456789012345678901234567890.1"},
		// An invalid number's value is not written, whatever it holds.
		{decimal.NullDecimal{Decimal: decimal.NewFromInt(7)}, "<nil>"},
	} {
		got := "<nil>"
		if p := Text(c.in); p != nil {
			got = *p
		}
		if got != c.want {
			t.Errorf("Text(%v) = %s, want %s", c.in, got, c.want)
		}
	}
}

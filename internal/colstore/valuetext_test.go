package colstore

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// An attribute value of a type attributes do not take is named in the
// table's refusal shortened: a decimal of 1e-10000 was quoted written out,
// a message of 10,000 characters.
func TestUnsupportedValueQuotedShort(t *testing.T) {
	tiny := decimal.New(1, -10000)
	long, _ := new(big.Int).SetString("1234567890123456789"+strings.Repeat("0", 81), 10)
	type text string
	for _, c := range []struct {
		v    any
		want string
	}{
		{&tiny, "1e-10000 of type *decimal.Decimal"},
		{decimal.NullDecimal{Decimal: tiny, Valid: true}, "1e-10000 of type decimal.NullDecimal"},
		{decimal.NullDecimal{}, "{0 false} of type decimal.NullDecimal"},
		{long, "1.234567890123456…e99 of type *big.Int"},
		{3.5, "3.5 of type float64"},
		{text(strings.Repeat("é", 40)), strings.Repeat("é", 32) + "… of type colstore.text"},
	} {
		for _, chunk := range []bool{false, true} {
			tab := New(time.UTC)
			if chunk {
				tab = NewChunk(time.UTC)
			}
			err := tab.Apply(&Input{ID: "e", Kind: "call", Time: t0, Actor: "a", Attrs: map[string]any{"x": c.v}})
			want := `event "e": attribute "x": unsupported attribute value ` + c.want + " (want string, int64, decimal.Decimal, bool or time.Time)"
			if err == nil || err.Error() != want {
				t.Errorf("%T (chunk %v): %.200v, want %s", c.v, chunk, err, want)
			}
		}
	}
}

package planfile

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// A value a message quotes is cut to 64 bytes: a number of 20,000
// decimal places made a message of 20,000 characters, and a long word
// where a number or a whole number goes one as long.
func TestDecodeQuotesLongValuesCut(t *testing.T) {
	type amounts struct {
		Count  int             `json:"count"`
		Amount decimal.Decimal `json:"amount"`
	}
	long := "0." + strings.Repeat("1", 20_000) + "e-2147483647"
	word := strings.Repeat("x", 100)
	tests := []struct{ name, file, want string }{
		{"number out of range", "amount: " + long, `f.yaml:1: amount: "0.` + strings.Repeat("1", 62) + `…" is out of range: too large an exponent or too many decimal places`},
		{"a word for a number", "amount: " + word, `f.yaml:1: amount: want a number such as 1234.50, got "` + strings.Repeat("x", 64) + `…"`},
		{"a word for a whole number", "count: " + word, `f.yaml:1: count: want a whole number, got "` + strings.Repeat("x", 64) + `…"`},
		{"a whole number past int64", "count: " + strings.Repeat("7", 100), `f.yaml:1: count: want a whole number, got "` + strings.Repeat("7", 64) + `…"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v amounts
			_, err := Decode("f.yaml", []byte(tt.file), &v)
			if err == nil || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}

package formula

import (
	"math/big"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// A long literal's scientific form gives its value's first 16 significant
// digits and the place of the first, read here from decimal's own parse of
// the literal; a short literal is quoted as written.
func TestQuoteNumberScientific(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		whole := rapid.StringMatching(`[0-9]{0,60}`).Draw(t, "whole")
		frac := rapid.StringMatching(`[0-9]{0,60}`).Draw(t, "frac")
		if whole == "" && frac == "" {
			whole = "0"
		}
		lit := whole
		if frac != "" || rapid.Bool().Draw(t, "point") {
			lit += "." + frac
		}
		// The reference reads the same number with a digit on each side
		// of the point (a zero before, a zero after).
		ref := "0" + whole + "." + frac + "0"
		if rapid.Bool().Draw(t, "has exponent") {
			e := "e" + strconv.Itoa(rapid.IntRange(-5000, 5000).Draw(t, "exp"))
			lit += e
			ref += e
		}
		got := quoteNumber(lit)
		if len(lit) <= maxQuoted {
			if got != lit {
				t.Fatalf("quoteNumber(%q) = %q, want it as written", lit, got)
			}
			return
		}
		d, err := decimal.NewFromString(ref)
		if err != nil {
			t.Fatalf("decimal of %q: %v", lit, err)
		}
		if d.IsZero() {
			if got != "0" {
				t.Fatalf("quoteNumber(%q) = %q, want 0", lit, got)
			}
			return
		}
		digits := d.Coefficient().String()
		first := int(d.Exponent()) + len(digits) - 1
		digits = strings.TrimRight(digits, "0")
		want := digits[:1]
		if len(digits) > 1 {
			want += "." + digits[1:min(len(digits), 16)]
			if len(digits) > 16 {
				want += "…"
			}
		}
		want += "e" + strconv.Itoa(first)
		if got != want {
			t.Fatalf("quoteNumber(%q) = %q, want %q", lit, got, want)
		}
	})
}

// A long literal in another base is quoted in decimal too: 0x1 and 1000
// zeros is 2^4000.
func TestQuoteNumberHex(t *testing.T) {
	s := new(big.Int).Lsh(big.NewInt(1), 4000).String()
	want := "number " + s[:1] + "." + s[1:16] + "…e" + strconv.Itoa(len(s)-1) + " out of range (limit: 1000 digits) (1:1)"
	_, err := Compile("0x1"+strings.Repeat("0", 1000), nil, TypeAny)
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

package formula

import (
	"math/big"
	"strings"

	"github.com/goalkit/goalkit/internal/display"
)

// Error messages quote a number literal as written when it is short, and
// otherwise shortened: a literal of 10,000 characters made a message of
// 10,000 characters.
// The limits are internal/display's, which quotes a long decimal of other
// packages' messages the same way.
const (
	// maxQuoted is the longest number literal a message quotes as written.
	maxQuoted = display.MaxNumber
	// quotedEnds is how many characters of each end of a longer text that
	// is not a number a message shows.
	quotedEnds = 16
)

// quoteNumber returns a number literal (its text in the formula) as an
// error message quotes it: as written up to maxQuoted bytes; a longer one
// in scientific form, with at most display.NumberDigits significant digits and …
// where digits were left out (0.000…001 written out is 1e-10000; a literal
// of 2,000 digits 1.234567890123456…e1999); a longer text that is not a
// number by its first and last quotedEnds characters around ….
func quoteNumber(lit string) string {
	if len(lit) <= maxQuoted {
		return lit
	}
	if s, ok := scientific(lit); ok {
		return s
	}
	r := []rune(lit)
	if len(r) <= 2*quotedEnds+1 {
		return lit
	}
	return string(r[:quotedEnds]) + "…" + string(r[len(r)-quotedEnds:])
}

// scientific writes a number literal (decimal with an optional fraction
// and exponent, or a whole number in 0x, 0o or 0b, digits maybe separated
// by _) in scientific form: its first digit, up to display.NumberDigits-1 more
// after a point, … where digits were left out, and the exponent of the
// first digit. false when lit is not such a literal or its exponent is
// itself long.
func scientific(lit string) (string, bool) {
	text := strings.ToLower(strings.ReplaceAll(lit, "_", ""))
	var digits string
	exp := new(big.Int) // the exponent of digits' last digit
	if strings.HasPrefix(text, "0x") || strings.HasPrefix(text, "0o") || strings.HasPrefix(text, "0b") {
		i, ok := new(big.Int).SetString(text, 0)
		if !ok {
			return "", false
		}
		digits = i.String()
	} else {
		mant, e, hasExp := strings.Cut(text, "e")
		if hasExp {
			if len(e) > maxQuoted {
				return "", false
			}
			if _, ok := exp.SetString(e, 10); !ok {
				return "", false
			}
		}
		whole, frac, _ := strings.Cut(mant, ".")
		digits = whole + frac
		if digits == "" || strings.Trim(digits, "0123456789") != "" {
			return "", false
		}
		exp.Sub(exp, big.NewInt(int64(len(frac))))
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return "0", true
	}
	exp.Add(exp, big.NewInt(int64(len(digits)-1)))
	return display.Scientific(strings.TrimRight(digits, "0"), exp.String()), true
}

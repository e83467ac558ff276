package display

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func TestNumber(t *testing.T) {
	pow := func(e int64) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(e), nil) }
	forty := strings.Repeat("1234567890", 4) // 40 digits
	for _, c := range []struct {
		in   decimal.Decimal
		want string
	}{
		{decimal.Zero, "0"},
		{decimal.New(0, -20000), "0"},
		{decimal.RequireFromString("12.50"), "12.5"},
		{decimal.RequireFromString("-0.00000003"), "-0.00000003"},
		{decimal.RequireFromString(forty), forty},
		{decimal.RequireFromString("-" + forty), "-1.234567890123456…e39"},
		{decimal.RequireFromString(forty + "0"), "1.234567890123456…e40"},
		{decimal.RequireFromString("0." + forty[:38]), "0." + forty[:38]},
		{decimal.RequireFromString("0." + forty[:39]), "1.234567890123456…e-1"},
		{decimal.New(1, -38), "0." + strings.Repeat("0", 37) + "1"},
		{decimal.New(1, -39), "1e-39"},
		{decimal.New(-25, -10000), "-2.5e-9999"},
		{decimal.New(1, -10000), "1e-10000"},
		{decimal.New(7, 40), "7e40"},
		{decimal.New(12, 38), "12" + strings.Repeat("0", 38)},
		// Trailing zeros of the coefficient count as String writes them.
		{decimal.NewFromBigInt(pow(50), -50), "1"},
		{decimal.NewFromBigInt(new(big.Int).Mul(big.NewInt(123), pow(60)), -10), "1.23e52"},
		{decimal.New(3, math.MaxInt32), "3e2147483647"},
		{decimal.New(-1, math.MinInt32), "-1e-2147483648"},
		{decimal.NewFromBigInt(new(big.Int).Sub(pow(2000), big.NewInt(1)), math.MinInt32), "9.999999999999999…e-2147481649"},
	} {
		if got := Number(c.in); got != c.want {
			t.Errorf("Number(%se%d) = %s, want %s", c.in.Coefficient(), c.in.Exponent(), got, c.want)
		}
	}
}

func TestScientific(t *testing.T) {
	for _, c := range [][3]string{{"1", "-10000", "1e-10000"}, {"1234", "-7", "1.234e-7"}, {"1234567890123456", "3", "1.234567890123456e3"}, {"12345678901234567", "3", "1.234567890123456…e3"}} {
		if got := Scientific(c[0], c[1]); got != c[2] {
			t.Errorf("Scientific(%s, %s) = %s, want %s", c[0], c[1], got, c[2])
		}
	}
}

// Number is String's text when that is at most MaxNumber bytes; a longer
// one's scientific form has the same leading digits, sign and order of
// magnitude, and is short.
func TestNumberProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		digits := rapid.StringMatching(`[1-9][0-9]{0,60}`).Draw(t, "digits")
		c, _ := new(big.Int).SetString(digits, 10)
		if rapid.Bool().Draw(t, "neg") {
			c.Neg(c)
		}
		d := decimal.NewFromBigInt(c, int32(rapid.IntRange(-80, 80).Draw(t, "exp")))
		s, got := d.String(), Number(d)
		if len(s) <= MaxNumber {
			if got != s {
				t.Fatalf("Number(%s) = %s", s, got)
			}
			return
		}
		if len(got) > 2*NumberDigits+8 {
			t.Fatalf("Number(%s) = %s, %d bytes", s, got, len(got))
		}
		mant, e, ok := strings.Cut(got, "e")
		if !ok {
			t.Fatalf("Number(%s) = %s, not scientific", s, got)
		}
		// Its digits lead String's (without sign, point and leading zeros).
		lead := strings.TrimLeft(strings.NewReplacer("-", "", ".", "").Replace(s), "0")
		if m := strings.NewReplacer("-", "", ".", "", "…", "").Replace(mant); !strings.HasPrefix(lead, m) {
			t.Fatalf("Number(%s) = %s: digits %s do not lead %s", s, got, m, lead)
		}
		if (s[0] == '-') != (got[0] == '-') {
			t.Fatalf("Number(%s) = %s: sign", s, got)
		}
		// The first digit's exponent, from String's text: the digits
		// before the point less one, or minus the zeros after it less one.
		whole, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
		want := len(whole) - 1
		if whole == "0" {
			want = -(len(frac) - len(strings.TrimLeft(frac, "0"))) - 1
		}
		if e != strconv.Itoa(want) {
			t.Fatalf("Number(%s) = %s, want exponent %d", s, got, want)
		}
	})
}

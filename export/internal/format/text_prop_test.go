package format

import (
	"math/big"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestTextIsTheRoundedNumber: a number as the exports write it for reading
// is the exact value rounded half away from zero, worked out here in
// integers: money of a known currency with all the places of its minor
// unit, a ratio in percent with one place, other numbers (and money of a
// currency without a known minor unit) with at most four places and no
// trailing zeros; the whole part grouped in threes by spaces, a minus only
// before a number that is not zero once rounded, and the symbol after.
func TestTextIsTheRoundedNumber(t *testing.T) {
	kinds := []struct {
		f      Number
		places int
		fixed  bool
		suffix string
	}{
		{Plain, 4, false, ""},
		{Ratio, 1, true, " %"},
		{Money("RUB"), 2, true, " ₽"},
		{Money("JPY"), 0, true, " ¥"},
		{Money("XTS"), 4, false, " XTS"},
	}
	rapid.Check(t, func(t *rapid.T) {
		k := kinds[rapid.IntRange(0, len(kinds)-1).Draw(t, "kind")]
		coef := rapid.Int64().Draw(t, "coefficient")
		exp := rapid.Int32Range(-24, 8).Draw(t, "exponent")
		if rapid.Bool().Draw(t, "half") {
			// A 5 just past the last place kept: a tie to break away
			// from zero.
			coef = coef/10*10 + 5
			if coef < 0 {
				coef -= 10
			}
			exp = -int32(k.places) - 1
			if k.f.Ratio {
				exp -= 2
			}
		}
		d := decimal.New(coef, exp)

		// x = coef × 10^exp (× 100 for a percent), scaled by 10^places.
		x := new(big.Rat).SetInt64(coef)
		ten := func(n int64) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(n), nil) }
		if exp >= 0 {
			x.Mul(x, new(big.Rat).SetInt(ten(int64(exp))))
		} else {
			x.Quo(x, new(big.Rat).SetInt(ten(int64(-exp))))
		}
		if k.f.Ratio {
			x.Mul(x, big.NewRat(100, 1))
		}
		x.Mul(x, new(big.Rat).SetInt(ten(int64(k.places))))
		// Half away from zero: floor(|x| + 1/2), signed.
		neg := x.Sign() < 0
		abs := new(big.Rat).Abs(x)
		abs.Add(abs, big.NewRat(1, 2))
		q := new(big.Int).Quo(abs.Num(), abs.Denom())
		whole, frac := new(big.Int).QuoRem(q, ten(int64(k.places)), new(big.Int))
		fracs := ""
		if k.places > 0 {
			fracs = frac.String()
			fracs = strings.Repeat("0", k.places-len(fracs)) + fracs
		}
		if !k.fixed {
			fracs = strings.TrimRight(fracs, "0")
		}
		digits := whole.String()
		var grouped []byte
		for i := len(digits) - 1; i >= 0; i-- {
			if n := len(digits) - 1 - i; n > 0 && n%3 == 0 {
				grouped = append(grouped, ' ')
			}
			grouped = append(grouped, digits[i])
		}
		for i, j := 0, len(grouped)-1; i < j; i, j = i+1, j-1 {
			grouped[i], grouped[j] = grouped[j], grouped[i]
		}
		want := string(grouped)
		if fracs != "" {
			want += "." + fracs
		}
		if neg && q.Sign() != 0 {
			want = "-" + want
		}
		want += k.suffix
		if got := k.f.Text(decimal.NewNullDecimal(d)); got != want {
			t.Fatalf("%+v.Text(%s) = %q, want %q", k.f, d, got, want)
		}
	})
}

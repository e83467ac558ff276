package dashboard

import (
	"math/big"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// refText writes the exact number coef × 10^exp as a page writes a number
// of a format with the places, computed with big.Rat: rounded half away
// from zero to the places (only where it has more), its whole part grouped
// in thousands with group, its decimals after point (money: none for a
// whole amount, else exactly the places; other numbers: those they need),
// a minus sign (U+2212) before a number that is below zero once rounded.
func refText(coef *big.Int, exp int32, places int32, money bool, group, point string) string {
	r := new(big.Rat).SetInt(coef)
	ten := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs32(exp))), nil))
	if exp >= 0 {
		r.Mul(r, ten)
	} else {
		r.Quo(r, ten)
	}
	neg := r.Sign() < 0
	r.Abs(r)
	// The magnitude in units of 10^-places, rounded half away from zero
	// (exact when it has no more places).
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(scale))
	q, m := new(big.Int).QuoRem(scaled.Num(), scaled.Denom(), new(big.Int))
	if new(big.Int).Mul(m, big.NewInt(2)).Cmp(scaled.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	whole, frac := new(big.Int).QuoRem(q, scale, new(big.Int))
	fs := ""
	if places > 0 {
		fs = frac.String()
		fs = strings.Repeat("0", int(places)-len(fs)) + fs
	}
	switch {
	case money && frac.Sign() == 0:
		fs = ""
	case !money:
		fs = strings.TrimRight(fs, "0")
	}
	ws := whole.String()
	var b strings.Builder
	if neg && q.Sign() != 0 {
		b.WriteString("−")
	}
	for i, c := range ws {
		if i > 0 && (len(ws)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(c)
	}
	if fs != "" {
		b.WriteString(point + fs)
	}
	return b.String()
}

func abs32(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}

// Whatever the number (amounts of hundredths near the ends of int64 and
// past them, negative ones, large and small exponents, halves), a page
// writes it as the reference written here with big.Rat does, in English
// and in Russian, as money of two places, of none and of three, as a
// plain number and as a percent already.
func TestDigitsAgainstExactReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var coef *big.Int
		exp := int32(rapid.IntRange(-30, 12).Draw(t, "exp"))
		switch rapid.IntRange(0, 3).Draw(t, "shape") {
		case 0: // near the ends of int64
			coef = big.NewInt(rapid.Int64().Draw(t, "int64"))
		case 1: // 2^61 and beyond
			coef = new(big.Int).Lsh(big.NewInt(rapid.Int64Range(-1000, 1000).Draw(t, "small")), uint(rapid.IntRange(0, 130).Draw(t, "shift")))
		case 2: // a half of the last place kept: 0 to 4 places, and 2^61 and beyond
			coef = new(big.Int).Lsh(big.NewInt(rapid.Int64Range(-1e9, 1e9).Draw(t, "halves")), uint(rapid.IntRange(0, 70).Draw(t, "halves shift")))
			coef.Add(coef.Mul(coef, big.NewInt(10)), big.NewInt(5))
			exp = -int32(rapid.IntRange(1, 5).Draw(t, "half's place"))
		default:
			coef = big.NewInt(rapid.Int64Range(-1e6, 1e6).Draw(t, "plain"))
		}
		d := decimal.NewFromBigInt(coef, exp)
		for _, l := range []*locale{locales["en"], locales["ru"]} {
			for _, f := range []format{plainFormat, scoreFormat, {places: 2, currency: "RUB"}, {places: 0, currency: "JPY"}, {places: 3, currency: "KWD"}} {
				got := f.digits(l, d)
				if want := refText(coef, exp, f.places, f.currency != "", l.group, l.point); got != want {
					t.Fatalf("%s×10^%d as %+v in %s: %q, want %q", coef, exp, f, l.Lang, got, want)
				}
			}
		}
	})
}

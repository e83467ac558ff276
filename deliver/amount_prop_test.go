package deliver_test

import (
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/deliver"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// Amount against a reference in exact rationals, over the extremes the
// types allow: amounts near the ends of int64 and past 2^61, negative, with
// exponents far from 0, in currencies of 0 to 4 minor places, one whose
// minor unit is not known and none. The reference rounds half away from
// zero by integers, writes the places (all of them for money with a
// fraction, the significant ones otherwise) and groups the whole part in
// threes.
func TestAmountAgainstExactRounding(t *testing.T) {
	type cur struct {
		code, sign string
		places     int
		money      bool
	}
	curs := []cur{{"RUB", "₽", 2, true}, {"USD", "$", 2, true}, {"JPY", "JPY", 0, true}, {"KWD", "KWD", 3, true}, {"CLF", "CLF", 4, true},
		{"LKR", "LKR", 4, false}, {"", "", 4, false}}
	rapid.Check(t, func(t *rapid.T) {
		v := rapid.OneOf(rapid.Int64Range(-100000, 100000), rapid.Int64(),
			rapid.SampledFrom([]int64{0, 5, -5, 1 << 61, -1 << 61, math.MaxInt64, math.MinInt64})).Draw(t, "v")
		exp := rapid.IntRange(-12, 12).Draw(t, "exp")
		c := rapid.SampledFrom(curs).Draw(t, "currency")
		d := decimal.New(v, int32(exp))

		// Exact: |v|·10^(exp+places), rounded half away from zero.
		x := new(big.Rat).SetInt64(v)
		ten := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(exp+c.places))), nil))
		if exp+c.places >= 0 {
			x.Mul(x, ten)
		} else {
			x.Quo(x, ten)
		}
		neg := x.Sign() < 0
		x.Abs(x)
		x.Add(x, big.NewRat(1, 2))
		n := new(big.Int).Quo(x.Num(), x.Denom()) // ⌊|x| + ½⌋
		digits := n.String()
		if len(digits) <= c.places {
			digits = strings.Repeat("0", c.places-len(digits)+1) + digits
		}
		whole, frac := digits[:len(digits)-c.places], digits[len(digits)-c.places:]
		if c.money {
			if strings.Trim(frac, "0") == "" {
				frac = ""
			}
		} else {
			frac = strings.TrimRight(frac, "0")
		}
		var grouped strings.Builder
		for i, r := range whole {
			if i > 0 && (len(whole)-i)%3 == 0 {
				grouped.WriteByte(' ')
			}
			grouped.WriteRune(r)
		}
		want := grouped.String()
		if frac != "" {
			want += "." + frac
		}
		if neg && n.Sign() != 0 {
			want = "-" + want
		}
		if c.sign != "" {
			want += " " + c.sign
		}
		if got := deliver.Amount(decimal.NewNullDecimal(d), c.code); got != want {
			t.Fatalf("Amount(%s, %q) = %q, want %q", d, c.code, got, want)
		}
	})
}

func abs(n int) int { return max(n, -n) }

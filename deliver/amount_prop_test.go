package deliver_test

import (
	"math"
	"math/big"
	"strconv"
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

		want := exactText(v, exp, c.places, c.money)
		if c.sign != "" {
			want += " " + c.sign
		}
		if got := deliver.Amount(decimal.NewNullDecimal(d), c.code); got != want {
			t.Fatalf("Amount(%s, %q) = %q, want %q", d, c.code, got, want)
		}
	})
}

// Percent against the same reference: the ratio v·10^exp in percent,
// rounded half away from zero to one place, its significant places
// written.
func TestPercentAgainstExactRounding(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := rapid.OneOf(rapid.Int64Range(-100000, 100000), rapid.Int64(),
			rapid.SampledFrom([]int64{0, 5, -5, 1 << 61, -1 << 61, math.MaxInt64, math.MinInt64})).Draw(t, "v")
		exp := rapid.IntRange(-12, 12).Draw(t, "exp")
		want := exactText(v, exp+2, 1, false) + " %"
		if got := deliver.Percent(decimal.NewNullDecimal(decimal.New(v, int32(exp)))); got != want {
			t.Fatalf("Percent(%s) = %q, want %q", decimal.New(v, int32(exp)), got, want)
		}
	})
}

// exactText writes v·10^exp rounded half away from zero to places, by
// integers: the whole part grouped in threes with spaces, then the
// places, all of them where all is set and the fraction is not zero, else
// only the significant ones; "-" before a number that is not 0 once
// rounded.
func exactText(v int64, exp, places int, all bool) string {
	x := new(big.Rat).SetInt64(v)
	ten := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(max(exp+places, -exp-places))), nil))
	if exp+places >= 0 {
		x.Mul(x, ten)
	} else {
		x.Quo(x, ten)
	}
	neg := x.Sign() < 0
	x.Abs(x)
	x.Add(x, big.NewRat(1, 2))
	n := new(big.Int).Quo(x.Num(), x.Denom()) // ⌊|x| + ½⌋
	digits := n.String()
	if len(digits) <= places {
		digits = strings.Repeat("0", places-len(digits)+1) + digits
	}
	whole, frac := digits[:len(digits)-places], digits[len(digits)-places:]
	if all {
		if strings.Trim(frac, "0") == "" {
			frac = ""
		}
	} else {
		frac = strings.TrimRight(frac, "0")
	}
	var b strings.Builder
	if neg && n.Sign() != 0 {
		b.WriteByte('-')
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

// A count of days in Russian takes the form its last two digits call for,
// read from the number as written: 1, 21, 101 "день"; 2–4, 22–24 "дня";
// 0, 5–20, 111–114 and the rest "дней"; a negative count as its absolute
// value. In English, 1 is "day" and any other count "days".
func TestDaysPluralProperty(t *testing.T) {
	tmpl, err := deliver.LoadTemplates(nil)
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.OneOf(rapid.IntRange(-130, 130), rapid.Int()).Draw(t, "days")
		digits := strconv.Itoa(n)
		last, tens := digits[len(digits)-1], byte('0')
		if d := strings.TrimPrefix(digits, "-"); len(d) > 1 {
			tens = d[len(d)-2]
		}
		ru := "дней"
		switch {
		case tens == '1':
		case last == '1':
			ru = "день"
		case last >= '2' && last <= '4':
			ru = "дня"
		}
		en := "days"
		if n == 1 {
			en = "day"
		}
		for lang, want := range map[string]string{"ru": "g: осталось " + digits + " " + ru, "en": "g: " + digits + " " + en + " left"} {
			v := sampleView(lang, "deadline_approaching")
			v.Goal, v.DaysLeft = "g", n
			subject, _, _, err := tmpl.Render(v)
			if err != nil {
				t.Fatal(err)
			}
			if subject != want {
				t.Fatalf("%s: %q, want %q", lang, subject, want)
			}
		}
	})
}

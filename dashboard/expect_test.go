package dashboard_test

import (
	"math/big"
	"strings"

	"github.com/shopspring/decimal"
)

// The test's own writing of numbers, as docs/dashboard.md specifies the
// English locale, written apart from the package's: exact rationals,
// rounded half away from zero by hand, grouped by hand.

const nbsp = "\u00a0"

// roundHalfAway returns x rounded to places decimal places, as an integer
// count of 10^-places.
func roundHalfAway(x decimal.Decimal, places int) *big.Int {
	r, ok := new(big.Rat).SetString(x.String())
	if !ok {
		panic("not a number: " + x.String())
	}
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	return roundRat(r.Mul(r, new(big.Rat).SetInt(scale)))
}

// roundRat returns r rounded half away from zero to an integer.
func roundRat(r *big.Rat) *big.Int {
	r = new(big.Rat).Set(r)
	neg := r.Sign() < 0
	r.Abs(r)
	q, m := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if new(big.Int).Mul(m, big.NewInt(2)).Cmp(r.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	return q
}

// enDigits writes n·10^-places with commas between thousands, all places
// kept.
func enDigits(n *big.Int, places int) string {
	s := new(big.Int).Abs(n).String()
	for len(s) <= places {
		s = "0" + s
	}
	whole, frac := s[:len(s)-places], s[len(s)-places:]
	var b strings.Builder
	if n.Sign() < 0 {
		b.WriteString("−")
	}
	for i := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(whole[i])
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

// enRUB writes an amount of roubles: kopecks only when there are any.
func enRUB(x decimal.NullDecimal) string {
	if !x.Valid {
		return "—"
	}
	n := roundHalfAway(x.Decimal, 2)
	if new(big.Int).Rem(n, big.NewInt(100)).Sign() == 0 {
		return enDigits(new(big.Int).Quo(n, big.NewInt(100)), 0) + nbsp + "RUB"
	}
	return enDigits(n, 2) + nbsp + "RUB"
}

// enPlain writes a number with at most four decimal places, no trailing
// zeros.
func enPlain(x decimal.NullDecimal) string {
	if !x.Valid {
		return "—"
	}
	s := enDigits(roundHalfAway(x.Decimal, 4), 4)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// enPercent writes a ratio in percent with one decimal place.
func enPercent(x decimal.NullDecimal) string {
	if !x.Valid {
		return "—"
	}
	return enDigits(roundHalfAway(x.Decimal.Shift(2), 1), 1) + "%"
}

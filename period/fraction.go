package period

import (
	"math/big"
	"strconv"

	"github.com/shopspring/decimal"
)

// A Fraction is an exact ratio Num/Den. Those made by this package are in
// lowest terms with 0 <= Num <= Den and Den > 0.
type Fraction struct {
	Num int64 `json:"num" yaml:"num"`
	Den int64 `json:"den" yaml:"den"`
}

// newFraction returns num/den in lowest terms; den must be positive.
func newFraction(num, den int64) Fraction {
	a, b := num, den
	if a < 0 {
		a = -a
	}
	for b != 0 {
		a, b = b, a%b
	}
	if a > 1 {
		num, den = num/a, den/a
	}
	return Fraction{Num: num, Den: den}
}

// Decimal returns f rounded half away from zero to places decimal places,
// computed with [decimal.Decimal.DivRound]. A Fraction with Den == 0, such as
// the zero Fraction, gives 0.
func (f Fraction) Decimal(places int32) decimal.Decimal {
	if f.Den == 0 {
		return decimal.Zero
	}
	return decimal.NewFromInt(f.Num).DivRound(decimal.NewFromInt(f.Den), places)
}

// Cmp compares f and g exactly: -1 if f < g, 0 if equal, +1 if f > g.
// Both must have Den > 0.
func (f Fraction) Cmp(g Fraction) int {
	l := new(big.Int).Mul(big.NewInt(f.Num), big.NewInt(g.Den))
	r := new(big.Int).Mul(big.NewInt(g.Num), big.NewInt(f.Den))
	if (f.Den < 0) != (g.Den < 0) {
		return r.Cmp(l)
	}
	return l.Cmp(r)
}

// String returns f as "Num/Den", e.g. "3/7".
func (f Fraction) String() string {
	return strconv.FormatInt(f.Num, 10) + "/" + strconv.FormatInt(f.Den, 10)
}

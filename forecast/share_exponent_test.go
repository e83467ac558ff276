package forecast

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"
)

const minExp, maxExp = math.MinInt32, math.MaxInt32

// A share whose quotient has no decimal's 32-bit exponent is undefined,
// not 0: half of 1e-2147483648 is 5e-2147483649. The results are hand
// counts.
func TestShareDecimalOfFarExponents(t *testing.T) {
	undefined := decimal.NullDecimal{}
	def := func(c int64, e int32) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.New(c, e)) }
	for _, c := range []struct {
		num, den decimal.Decimal
		want     decimal.NullDecimal
	}{
		{decimal.New(1, minExp), decimal.NewFromInt(2), undefined},
		{decimal.New(1, minExp), decimal.NewFromInt(3), undefined},
		{decimal.New(1, minExp), decimal.New(1, maxExp), undefined},
		{decimal.New(1, maxExp), decimal.New(1, minExp), undefined},
		{decimal.New(3, minExp), decimal.Zero, undefined},
		{decimal.New(1, minExp), decimal.New(1, minExp), def(1, 0)},
		{decimal.New(2, minExp+5), decimal.New(4, minExp+5), def(5, -1)},
		{decimal.New(1, minExp+20), decimal.NewFromInt(8), def(125, minExp+17)},
		{decimal.New(20, minExp), decimal.NewFromInt(2), def(1, minExp+1)},
		{decimal.New(0, maxExp), decimal.NewFromInt(7), def(0, 0)},
		{decimal.NewFromInt(1), decimal.NewFromInt(3), decimal.NewNullDecimal(decimal.RequireFromString("0.3333333333333333"))},
	} {
		q, ok := Share{Num: c.num, Den: c.den}.Decimal()
		if ok != c.want.Valid || ok && !q.Equal(c.want.Decimal) {
			t.Errorf("Share{%se%d, %se%d}.Decimal() = %se%d, %v; want %v", c.num.Coefficient(), c.num.Exponent(), c.den.Coefficient(), c.den.Exponent(), q.Coefficient(), q.Exponent(), ok, c.want)
		}
	}
}

// x times a share with no decimal's 32-bit exponent is undefined, not 0;
// a product of x and the numerator past 32 bits (where Decimal.Mul
// panicked) is divided all the same. Hand counts.
func TestShareOfFarExponents(t *testing.T) {
	undefined := decimal.NullDecimal{}
	def := func(c int64, e int32) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.New(c, e)) }
	half, one := decimal.New(5, -1), decimal.NewFromInt(1)
	for _, c := range []struct {
		x, num, den decimal.Decimal
		want        decimal.NullDecimal
	}{
		{decimal.New(1, minExp), one, decimal.NewFromInt(2), undefined},                    // 5e-2147483649
		{decimal.New(1, minExp), one, decimal.NewFromInt(3), undefined},                    // 3.33…e-2147483649
		{decimal.New(1, minExp), half, one, undefined},                                     // 5e-2147483649, past Mul
		{decimal.New(1, minExp), half, half, def(1, minExp)},                               // past Mul, back within
		{decimal.New(10, minExp), half, one, def(5, minExp)},                               // a trailing zero keeps it
		{decimal.New(3, minExp), one, decimal.NewFromInt(3), def(1, minExp)},               // exact
		{decimal.New(1, maxExp), decimal.NewFromInt(2), one, def(2, maxExp)},               // 2e2147483647
		{decimal.New(1, maxExp), decimal.New(2, 1), one, undefined},                        // 2e2147483648, past Mul
		{decimal.NewFromInt(7), decimal.New(1, minExp), decimal.New(1, minExp), def(7, 0)}, // 7·1e-2147483648/1e-2147483648
		{decimal.New(7, maxExp), decimal.New(1, minExp), decimal.New(2, minExp), def(35, maxExp-1)},
		{decimal.New(1, minExp), decimal.New(1, minExp), decimal.New(1, maxExp), undefined},          // 1e(2·min-max)
		{decimal.New(1, minExp), decimal.New(0, -1), one, def(0, 0)},                                 // 0, past Mul
		{decimal.New(0, minExp+40), decimal.New(0, minExp+40), decimal.New(1, maxExp-40), def(0, 0)}, // 0, exponents 3·2^31 apart
		{decimal.New(0, minExp), decimal.New(3, minExp), decimal.Zero, undefined},                    // a zero denominator
		{decimal.New(3, 0), decimal.NewFromInt(1), decimal.NewFromInt(4), def(75, -2)},
	} {
		q, ok := Share{Num: c.num, Den: c.den}.Of(c.x)
		if ok != c.want.Valid || ok && !q.Equal(c.want.Decimal) {
			t.Errorf("Share{%se%d, %se%d}.Of(%se%d) = %se%d, %v; want %v", c.num.Coefficient(), c.num.Exponent(), c.den.Coefficient(), c.den.Exponent(), c.x.Coefficient(), c.x.Exponent(), q.Coefficient(), q.Exponent(), ok, c.want)
		}
	}
}

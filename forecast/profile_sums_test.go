package forecast

import (
	"math"
	"math/big"
	"math/bits"
	"testing"

	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// shareByAdding is Profile.Share as it was before the profile kept the
// sums of its days: every day before the position added to zero, one by
// one, on each call.
func shareByAdding(periods [][]decimal.Decimal, x period.Fraction) (decimal.Decimal, bool) {
	var usable [][]decimal.Decimal
	var totals []decimal.Decimal
	for _, days := range periods {
		total := decimal.Zero
		for _, v := range days {
			total = total.Add(v)
		}
		if len(days) > 0 && total.Sign() > 0 {
			usable, totals = append(usable, days), append(totals, total)
		}
	}
	if len(usable) == 0 || x.Den <= 0 {
		return decimal.Decimal{}, false
	}
	if x.Num >= x.Den {
		return one, true
	}
	num := max(x.Num, 0)
	sum := decimal.Zero
	den := decimal.NewFromInt(x.Den)
	for j, days := range usable {
		n := int64(len(days))
		hi, lo := bits.Mul64(uint64(num), uint64(n))
		q, r := bits.Div64(hi, lo, uint64(x.Den))
		i, rem := int64(q), int64(r)
		cum := decimal.Zero
		for k := int64(0); k < i && k < n; k++ {
			cum = cum.Add(days[k])
		}
		if i < n && rem > 0 {
			part, _ := decimalx.Div(days[i].Mul(decimal.NewFromInt(rem)), den)
			cum = cum.Add(part)
		}
		s, _ := decimalx.Div(cum, totals[j])
		sum = sum.Add(s)
	}
	mean, _ := decimalx.Div(sum, decimal.NewFromInt(int64(len(usable))))
	return mean, true
}

// The profile keeps the sums of each period's first days, in 64-bit
// coefficients where they fit, so that a share reads two sums a period
// instead of adding every day before it: its shares are those of adding
// the days, to the decimal written (exponent and all), whatever the
// values (coefficients near and past 64 bits, exponents far apart, either
// sign, totals not positive) and the position.
func TestProfileSharesAsAdded(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		// Most periods hold small values, so that their sums are kept in
		// 64 bits; some reach 2^62 and past it, where they are not.
		value := func(size int) *rapid.Generator[decimal.Decimal] {
			return rapid.Custom(func(t *rapid.T) decimal.Decimal {
				var c *big.Int
				switch size {
				case 0, 1:
					c = big.NewInt(rapid.Int64Range(-1000, 1000).Draw(t, "small"))
				case 2:
					c = big.NewInt(rapid.Int64().Draw(t, "int64"))
				case 3:
					c = big.NewInt(rapid.Int64Range(math.MaxInt64/20, math.MaxInt64/2).Draw(t, "near 2^62"))
				default:
					c = new(big.Int).Lsh(big.NewInt(rapid.Int64Range(-7, 7).Draw(t, "large")), uint(rapid.IntRange(60, 80).Draw(t, "shift")))
				}
				return decimal.NewFromBigInt(c, int32(rapid.IntRange(-8, 8).Draw(t, "exponent")))
			})
		}
		periods := make([][]decimal.Decimal, rapid.IntRange(0, 4).Draw(t, "periods"))
		for j := range periods {
			periods[j] = rapid.SliceOfN(value(rapid.IntRange(0, 4).Draw(t, "size")), 0, 12).Draw(t, "days")
		}
		pr, ok := LearnProfile(periods...)
		den := rapid.Int64Range(-1, 1<<40).Draw(t, "den")
		x := period.Fraction{Num: rapid.Int64Range(-2, den+2).Draw(t, "num"), Den: den}
		want, wok := shareByAdding(periods, x)
		if ok != wok && x.Den > 0 {
			t.Fatalf("LearnProfile ok %v, want %v", ok, wok)
		}
		got, gok := pr.Share(x)
		if gok != wok || got.String() != want.String() || got.Exponent() != want.Exponent() || got.Cmp(want) != 0 {
			t.Fatalf("Share(%d/%d) = %s (exponent %d), %v; adding the days: %s (exponent %d), %v", x.Num, x.Den, got, got.Exponent(), gok, want, want.Exponent(), wok)
		}
	})
}

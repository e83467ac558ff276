package score

import (
	"math/big"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// Split against a reference computed with big.Rat, by the largest
// remainder method as its doc states it, over the extremes the types
// allow: amounts far past int64 minor units and negative ones, places from
// -4 to 12, weights from 10^-20 to 2^62·10^20 and zero ones.
func TestSplitExtremesProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		places := int32(rapid.IntRange(-4, 12).Draw(t, "places"))
		units := new(big.Int).Lsh(big.NewInt(rapid.Int64().Draw(t, "units")), uint(rapid.IntRange(0, 70).Draw(t, "shift")))
		amount := decimal.NewFromBigInt(units, -places)
		n := rapid.IntRange(1, 8).Draw(t, "n")
		ws := make([]decimal.Decimal, n)
		total := new(big.Rat)
		for i := range ws {
			if rapid.IntRange(0, 5).Draw(t, "zero") > 0 {
				ws[i] = decimal.New(rapid.Int64Range(1, 1<<62).Draw(t, "w"), int32(rapid.IntRange(-20, 20).Draw(t, "wexp")))
			}
			total.Add(total, ws[i].Rat())
		}
		parts, err := Split(amount, ws, places)
		if total.Sign() == 0 {
			if err != ErrZeroWeights {
				t.Fatalf("zero weights: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		// The reference: split |units| by floor quotas, one unit more to the
		// largest remainders (ties to the earlier part), the sign put back.
		abs := new(big.Int).Abs(units)
		q := make([]*big.Int, n)
		r := make([]*big.Rat, n)
		given := new(big.Int)
		for i, w := range ws {
			exact := new(big.Rat).Mul(new(big.Rat).SetInt(abs), w.Rat())
			exact.Quo(exact, total)
			q[i] = new(big.Int).Quo(exact.Num(), exact.Denom()) // ≥ 0: floor
			r[i] = new(big.Rat).Sub(exact, new(big.Rat).SetInt(q[i]))
			given.Add(given, q[i])
		}
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return r[b].Cmp(r[a]) })
		left := new(big.Int).Sub(abs, given).Int64()
		for _, i := range order[:left] {
			q[i].Add(q[i], big.NewInt(1))
		}
		for i, p := range parts {
			if units.Sign() < 0 {
				q[i].Neg(q[i])
			}
			if want := decimal.NewFromBigInt(q[i], -places); !p.Equal(want) {
				t.Fatalf("part %d = %s, want %s", i, p, want)
			}
		}
	})
}

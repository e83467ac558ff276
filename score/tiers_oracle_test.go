package score

import (
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestTiersMatchRationalsProperty: a progressive scale pays, for each band
// in the order of its From, rate × the part of x between its From and the
// next band's (none past the last band's upper end), computed here in
// big.Rat from the bands as drawn (in any order); the parts add up to the
// amount, and a larger x never pays less.
func TestTiersMatchRationalsProperty(t *testing.T) {
	dec := func(t *rapid.T, label string, lo, hi int) decimal.Decimal {
		return decimal.New(int64(rapid.IntRange(lo, hi).Draw(t, label)), int32(rapid.IntRange(-2, 1).Draw(t, label+" exp")))
	}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 5).Draw(t, "bands")
		var defs []TierDef
		for range n {
			defs = append(defs, TierDef{From: dec(t, "from", -500, 500), Rate: dec(t, "rate", 0, 30)})
		}
		tiers, err := NewTiers(defs)
		if err != nil {
			t.Skip(err) // two bands from one value
		}
		pay := func(x decimal.Decimal) *big.Rat {
			total := new(big.Rat)
			xr := x.Rat()
			for _, b := range defs {
				// The band's upper end: the least From above b's.
				var to *big.Rat
				for _, o := range defs {
					if o.From.Rat().Cmp(b.From.Rat()) > 0 && (to == nil || o.From.Rat().Cmp(to) < 0) {
						to = o.From.Rat()
					}
				}
				top := xr
				if to != nil && top.Cmp(to) > 0 {
					top = to
				}
				if part := new(big.Rat).Sub(top, b.From.Rat()); part.Sign() > 0 {
					total.Add(total, part.Mul(part, b.Rate.Rat()))
				}
			}
			return total
		}
		x, y := dec(t, "x", -2000, 2000), dec(t, "y", -2000, 2000)
		if x.GreaterThan(y) {
			x, y = y, x
		}
		ax, parts := tiers.Amount(x)
		ay, _ := tiers.Amount(y)
		if want := pay(x); ax.Rat().Cmp(want) != 0 {
			t.Fatalf("Amount(%s) = %s, want %s", x, ax, want.FloatString(6))
		}
		sum := decimal.Zero
		for _, p := range parts {
			sum = sum.Add(p.Amount)
			if !p.Amount.Equal(p.Base.Mul(p.Rate)) || p.Base.Sign() <= 0 {
				t.Fatalf("part %+v", p)
			}
		}
		if !sum.Equal(ax) {
			t.Fatalf("parts add to %s, amount %s", sum, ax)
		}
		if ay.LessThan(ax) {
			t.Fatalf("Amount(%s) = %s < Amount(%s) = %s", y, ay, x, ax)
		}
	})
}

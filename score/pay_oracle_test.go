package score

import (
	"math/big"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestPayMatchesRationalsProperty: Pay's amount is the bonus computed here
// in rationals, step by step as BonusDef says (threshold, payout curve held
// at 0 and the cap, tiers, max, penalties, at least 0), rounded to the
// currency's minor unit in the scheme's mode.
func TestPayMatchesRationalsProperty(t *testing.T) {
	set, sc := propSet(t), propCard()
	rapid.Check(t, func(t *rapid.T) {
		b := genBonus(t, set, sc)
		def := b.def
		rows := []KPIScore{{KPI: "k1", Score: genDec(t, 0, 150, 2, "s1")}, {KPI: "k2", Score: genDec(t, 0, 150, 2, "s2")}, {KPI: "k3", Score: genDec(t, 0, 150, 2, "s3")}}
		total := genDec(t, -20, 250, 4, "total")
		got := b.Pay(Card{Total: total, KPIs: rows}, decimal.NullDecimal{})

		r := func(d decimal.Decimal) *big.Rat { return d.Rat() }
		x := r(total)
		net := new(big.Rat)
		if def.Threshold == nil || total.GreaterThanOrEqual(*def.Threshold) {
			gross := new(big.Rat)
			if def.Base != nil {
				pts := slices.Clone(def.Payout)
				if len(pts) == 0 {
					pts = []PayoutPoint{{Score: dec("0"), Percent: dec("0")}, {Score: dec("100"), Percent: dec("100")}}
				}
				slices.SortFunc(pts, func(a, b PayoutPoint) int { return a.Score.Cmp(b.Score) })
				i := 0 // the segment [i, i+1] that holds x, or the end one
				for i+2 < len(pts) && total.GreaterThanOrEqual(pts[i+1].Score) {
					i++
				}
				x0, y0, x1, y1 := r(pts[i].Score), r(pts[i].Percent), r(pts[i+1].Score), r(pts[i+1].Percent)
				pct := new(big.Rat).Sub(x, x0)
				pct.Mul(pct, new(big.Rat).Sub(y1, y0))
				pct.Quo(pct, new(big.Rat).Sub(x1, x0))
				pct.Add(pct, y0)
				if pct.Sign() < 0 {
					pct.SetInt64(0)
				}
				if def.Cap != nil && pct.Cmp(r(*def.Cap)) > 0 {
					pct = r(*def.Cap)
				}
				gross.Add(gross, new(big.Rat).Quo(new(big.Rat).Mul(r(*def.Base), pct), big.NewRat(100, 1)))
			}
			bands := slices.Clone(def.Tiers)
			slices.SortFunc(bands, func(a, b TierDef) int { return a.From.Cmp(b.From) })
			for i, band := range bands {
				top := x
				if i+1 < len(bands) && top.Cmp(r(bands[i+1].From)) > 0 {
					top = r(bands[i+1].From)
				}
				if part := new(big.Rat).Sub(top, r(band.From)); part.Sign() > 0 {
					gross.Add(gross, part.Mul(part, r(band.Rate)))
				}
			}
			if def.Max != nil && gross.Cmp(r(*def.Max)) > 0 {
				gross = r(*def.Max)
			}
			net.Set(gross)
			for _, pen := range def.Penalties {
				k, _ := (&Card{KPIs: rows}).KPI(pen.KPI)
				if !k.Score.LessThan(*pen.BelowScore) {
					continue
				}
				if pen.Percent != nil {
					net.Sub(net, new(big.Rat).Quo(new(big.Rat).Mul(gross, r(*pen.Percent)), big.NewRat(100, 1)))
				} else {
					net.Sub(net, r(*pen.Amount))
				}
			}
			if net.Sign() < 0 {
				net.SetInt64(0)
			}
		}
		// Round net to the minor unit: scaled = net × 10^places, then by mode.
		scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(b.places)), nil)
		scaled := new(big.Rat).Mul(net, new(big.Rat).SetInt(scale))
		floor := new(big.Int).Quo(scaled.Num(), scaled.Denom()) // net ≥ 0: truncation is the floor
		frac := new(big.Rat).Sub(scaled, new(big.Rat).SetInt(floor))
		half := big.NewRat(1, 2)
		units := new(big.Int).Set(floor)
		var up bool
		switch c := frac.Cmp(half); def.Rounding {
		case RoundDown:
		case RoundUp:
			up = frac.Sign() > 0
		case RoundHalfEven:
			up = c > 0 || (c == 0 && floor.Bit(0) == 1)
		default:
			up = c >= 0
		}
		if up {
			units.Add(units, big.NewInt(1))
		}
		want := decimal.NewFromBigInt(units, -b.places)
		if !got.Amount.Equal(want) {
			t.Fatalf("total %s pays %s, want %s (exact %s)", total, got.Amount, want, net.FloatString(12))
		}
	})
}

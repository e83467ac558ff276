package score

import (
	"math/big"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestScoresMatchRationalsProperty: each KPI's score is its curve computed
// here in rationals as the scorecard docs say (the line through threshold →
// 0, target → 100 and stretch → stretch score, or the points, continued
// past the ends; or the best step reached), rounded half away from zero to
// the scorecard's places and held between floor and cap (the floor for an
// undefined actual or no step reached); its achievement is Achieve's ratio
// in percent, rounded the same way; and the gates multiply a positive
// subtotal.
func TestScoresMatchRationalsProperty(t *testing.T) {
	set := propSet(t)
	rapid.Check(t, func(t *rapid.T) {
		sc, actuals, c := genCard(t, set)
		places := int32(*sc.def.ScorePlaces)
		factor, subtotal := decimal.NewFromInt(1), decimal.Zero
		for i, d := range sc.def.KPIs {
			a := actuals[d.Indicator]
			want := oracleScore(d, a, places)
			row := c.KPIs[i]
			if !row.Score.Equal(want) {
				t.Fatalf("%s: actual %v scores %s, want %s", d.Indicator, a, row.Score, want)
			}
			ach := decimal.NullDecimal{}
			if a.Valid {
				ach = oracleAchievement(d, a.Decimal, places)
			}
			if row.Achievement.Valid != ach.Valid || (ach.Valid && !row.Achievement.Decimal.Equal(ach.Decimal)) {
				t.Fatalf("%s: actual %v, achievement %v, want %v", d.Indicator, a, row.Achievement, ach)
			}
			subtotal = subtotal.Add(d.Weight.Mul(want).Shift(-2)) // a hundredth, exactly
			if g := d.Critical; g != nil {
				below := *g.Below
				worse := !a.Valid || (d.Direction == LowerIsBetter && a.Decimal.GreaterThan(below)) || (d.Direction != LowerIsBetter && a.Decimal.LessThan(below))
				if worse != row.Gated {
					t.Fatalf("%s: actual %v against %s gated %v", d.Indicator, a, below, row.Gated)
				}
				if worse {
					factor = factor.Mul(g.Factor)
				}
			}
		}
		if !subtotal.IsPositive() {
			factor = decimal.NewFromInt(1)
		}
		if !c.Subtotal.Equal(subtotal) || !c.Total.Equal(subtotal.Mul(factor)) {
			t.Fatalf("subtotal %s, total %s; want %s × %s", c.Subtotal, c.Total, subtotal, factor)
		}
	})
}

// oracleScore is the score of the KPI d for actual a.
func oracleScore(d KPIDef, a decimal.NullDecimal, places int32) decimal.Decimal {
	floor := decimal.Zero
	if d.Floor != nil {
		floor = *d.Floor
	}
	if !a.Valid {
		return floor
	}
	lower := d.Direction == LowerIsBetter
	var s *big.Rat
	switch {
	case d.Curve != nil && len(d.Curve.Steps) > 0:
		found := false
		for _, st := range d.Curve.Steps {
			reached := a.Decimal.GreaterThanOrEqual(st.From)
			if lower {
				reached = a.Decimal.LessThanOrEqual(st.From)
			}
			if reached && (!found || st.Score.Rat().Cmp(s) > 0) {
				s, found = st.Score.Rat(), true
			}
		}
		if !found {
			return floor
		}
	default:
		var pts []CurvePoint
		if d.Curve != nil {
			pts = slices.Clone(d.Curve.Points)
		} else {
			thr := decimal.Zero
			if lower {
				thr = d.Target.Mul(decimal.NewFromInt(2))
			}
			if d.Threshold != nil {
				thr = *d.Threshold
			}
			pts = []CurvePoint{{At: thr, Score: decimal.Zero}, {At: *d.Target, Score: decimal.NewFromInt(100)}}
			if d.Stretch != nil {
				ss := decimal.NewFromInt(150)
				if d.StretchScore != nil {
					ss = *d.StretchScore
				}
				pts = append(pts, CurvePoint{At: *d.Stretch, Score: ss})
			}
		}
		slices.SortFunc(pts, func(p, q CurvePoint) int { return p.At.Cmp(q.At) })
		i := 0
		for i+2 < len(pts) && a.Decimal.GreaterThanOrEqual(pts[i+1].At) {
			i++
		}
		p, q := pts[i], pts[i+1]
		s = new(big.Rat).Sub(a.Decimal.Rat(), p.At.Rat())
		s.Mul(s, new(big.Rat).Sub(q.Score.Rat(), p.Score.Rat()))
		s.Quo(s, new(big.Rat).Sub(q.At.Rat(), p.At.Rat()))
		s.Add(s, p.Score.Rat())
	}
	out := roundHalfAway(s, places)
	if out.LessThan(floor) {
		out = floor
	}
	if d.Cap != nil && out.GreaterThan(*d.Cap) {
		out = *d.Cap
	}
	return out
}

// oracleAchievement is actual / target (target / actual, lower is better)
// in percent, rounded half away from zero; undefined without a ratio.
func oracleAchievement(d KPIDef, a decimal.Decimal, places int32) decimal.NullDecimal {
	num, den := a, *d.Target
	if d.Direction == LowerIsBetter {
		num, den = den, num
		if num.IsNegative() {
			return decimal.NullDecimal{}
		}
	}
	if !den.IsPositive() {
		return decimal.NullDecimal{}
	}
	r := new(big.Rat).Quo(num.Rat(), den.Rat())
	return decimal.NewNullDecimal(roundHalfAway(r.Mul(r, big.NewRat(100, 1)), places))
}

// roundHalfAway rounds r to places decimal places, halves away from zero.
func roundHalfAway(r *big.Rat, places int32) decimal.Decimal {
	scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)))
	abs := new(big.Rat).Abs(scaled)
	q, m := new(big.Int).QuoRem(abs.Num(), abs.Denom(), new(big.Int))
	if new(big.Int).Lsh(m, 1).Cmp(abs.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if scaled.Sign() < 0 {
		q.Neg(q)
	}
	return decimal.NewFromBigInt(q, -places)
}

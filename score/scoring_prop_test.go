package score

import (
	"fmt"
	"math/big"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// genDec draws a decimal in [lo, hi] with places decimal places.
func genDec(t *rapid.T, lo, hi int64, places int32, label string) decimal.Decimal {
	scale := int64(1)
	for range places {
		scale *= 10
	}
	return decimal.New(rapid.Int64Range(lo*scale, hi*scale).Draw(t, label), -places)
}

// genIncreasing draws n strictly increasing decimals from lo.
func genIncreasing(t *rapid.T, n int, lo int64, label string) []decimal.Decimal {
	out := make([]decimal.Decimal, n)
	x := decimal.NewFromInt(lo)
	for i := range out {
		x = x.Add(genDec(t, 0, 100, 1, label).Add(decimal.New(1, -1)))
		out[i] = x
	}
	return out
}

// genNonDecreasing draws n non-decreasing scores from 0.
func genNonDecreasing(t *rapid.T, n int, label string) []decimal.Decimal {
	out := make([]decimal.Decimal, n)
	s := genDec(t, -20, 50, 1, label)
	for i := range out {
		out[i] = s
		s = s.Add(genDec(t, 0, 80, 2, label))
	}
	return out
}

// genScores draws n scores of a curve's points or steps that never get
// worse along the curve: non-decreasing, reversed when lower is better.
func genScores(t *rapid.T, n int, lower bool) []decimal.Decimal {
	sc := genNonDecreasing(t, n, "score")
	if lower {
		slices.Reverse(sc)
	}
	return sc
}

// genKPI draws a valid KPI of the indicator id: any direction, a default,
// linear or step curve, floor, cap and gate.
func genKPI(t *rapid.T, id string, weight decimal.Decimal) KPIDef {
	k := KPIDef{Indicator: id, Weight: weight}
	lower := rapid.Bool().Draw(t, "lower")
	if lower {
		k.Direction = LowerIsBetter
	}
	target := genDec(t, 1, 1000, 2, "target")
	k.Target = &target
	switch rapid.IntRange(0, 2).Draw(t, "curve") {
	case 0: // default, maybe with threshold and stretch
		if rapid.Bool().Draw(t, "threshold") {
			gap := genDec(t, 1, 500, 2, "gap")
			thr := target.Sub(gap)
			if lower {
				thr = target.Add(gap)
			}
			k.Threshold = &thr
		}
		if rapid.Bool().Draw(t, "stretch") {
			gap := genDec(t, 0, 500, 2, "sgap").Add(decimal.New(1, -2))
			st := target.Add(gap)
			if lower {
				st = target.Sub(gap)
			}
			k.Stretch = &st
			ss := genDec(t, 100, 300, 1, "stretch_score")
			k.StretchScore = &ss
		}
	case 1:
		n := rapid.IntRange(2, 5).Draw(t, "points")
		at := genIncreasing(t, n, -50, "at")
		sc := genScores(t, n, lower)
		pts := make([]CurvePoint, n)
		for i := range pts {
			pts[i] = CurvePoint{At: at[i], Score: sc[i]}
		}
		k.Curve = &CurveDef{Points: pts}
	case 2:
		n := rapid.IntRange(1, 5).Draw(t, "steps")
		from := genIncreasing(t, n, -50, "from")
		sc := genScores(t, n, lower)
		steps := make([]CurveStep, n)
		for i := range steps {
			steps[i] = CurveStep{From: from[i], Score: sc[i]}
		}
		k.Curve = &CurveDef{Steps: steps}
	}
	if rapid.Bool().Draw(t, "floor") {
		f := genDec(t, -30, 20, 1, "floor")
		k.Floor = &f
	}
	if rapid.Bool().Draw(t, "cap") {
		c := genDec(t, 20, 300, 1, "cap")
		k.Cap = &c
	}
	if rapid.IntRange(0, 2).Draw(t, "gate") == 0 {
		below := genDec(t, -100, 1200, 2, "below")
		k.Critical = &GateDef{Below: &below, Factor: genDec(t, 0, 1, 2, "factor")}
	}
	return k
}

var propIDs = []string{"k1", "k2", "k3", "k4", "k5"}

func propSet(t testing.TB) *kpi.Set {
	var defs []kpi.IndicatorDef
	for _, id := range propIDs {
		defs = append(defs, kpi.IndicatorDef{ID: id, Kinds: []string{id}, Aggregate: "count"})
	}
	set, err := kpi.Compile(defs, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// genScorecard draws a valid scorecard of 3 to 5 KPIs whose weights sum to
// 100.
func genScorecard(t *rapid.T, set *kpi.Set) *Scorecard {
	n := rapid.IntRange(3, 5).Draw(t, "kpis")
	// weights: n positive parts of 100, in hundredths
	cuts := []int64{0, 10000}
	for len(cuts) < n+1 {
		c := rapid.Int64Range(1, 9999).Draw(t, "cut")
		if !slices.Contains(cuts, c) {
			cuts = append(cuts, c)
		}
	}
	slices.Sort(cuts)
	places := rapid.IntRange(0, 4).Draw(t, "places")
	def := ScorecardDef{ID: "p", Grain: period.Month, ScorePlaces: &places}
	for i := range n {
		def.KPIs = append(def.KPIs, genKPI(t, propIDs[i], decimal.New(cuts[i+1]-cuts[i], -2)))
	}
	s, err := Compile(Defs{Scorecards: []ScorecardDef{def}}, Env{Indicators: set})
	if err != nil {
		t.Fatalf("generated an invalid scorecard: %v", err)
	}
	return s.scorecards[0]
}

func genActual(t *rapid.T, label string) decimal.NullDecimal {
	if rapid.IntRange(0, 9).Draw(t, label+"_undefined") == 0 {
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(genDec(t, -100, 1500, 3, label))
}

// genCard draws a scorecard, an actual for each of its KPIs (by KPI id)
// and their card.
func genCard(t *rapid.T, set *kpi.Set) (*Scorecard, map[string]decimal.NullDecimal, Card) {
	sc := genScorecard(t, set)
	a := map[string]decimal.NullDecimal{}
	for _, k := range sc.kpis {
		a[k.id] = genActual(t, k.id)
	}
	return sc, a, scoreValues(t, sc, a)
}

// scoreValues is sc's card of the actuals a.
func scoreValues(t *rapid.T, sc *Scorecard, a map[string]decimal.NullDecimal) Card {
	c, err := sc.ScoreValues("p", march, "m", a)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTotalMonotoneProperty: a KPI's actual getting better in its direction
// never lowers the total; and the breakdown always adds up to the total.
func TestTotalMonotoneProperty(t *testing.T) {
	set := propSet(t)
	rapid.Check(t, func(t *rapid.T) {
		sc, a, before := genCard(t, set)
		checkBreakdown(t, before)
		k := sc.kpis[rapid.IntRange(0, len(sc.kpis)-1).Draw(t, "which")]
		old := a[k.id]
		delta := genDec(t, 0, 500, 3, "delta")
		var improved decimal.Decimal
		switch {
		case !old.Valid: // from undefined to any value is an improvement
			improved = genDec(t, -100, 1500, 3, "from_undefined")
		case k.curve.dir.lower():
			improved = old.Decimal.Sub(delta)
		default:
			improved = old.Decimal.Add(delta)
		}
		a[k.id] = decimal.NewNullDecimal(improved)
		after := scoreValues(t, sc, a)
		checkBreakdown(t, after)
		if after.Total.LessThan(before.Total) {
			t.Fatalf("%s went from %v to %s (%s) and the total fell from %s to %s", k.id, old, improved, k.curve.dir, before.Total, after.Total)
		}
		bk, _ := before.KPI(k.id)
		ak, _ := after.KPI(k.id)
		if ak.Score.LessThan(bk.Score) {
			t.Fatalf("%s's score fell from %s to %s", k.id, bk.Score, ak.Score)
		}
	})
}

func checkBreakdown(t *rapid.T, c Card) {
	sum, sub := decimal.Zero, decimal.Zero
	for _, k := range c.KPIs {
		if !k.Weighted.Equal(k.Weight.Mul(k.Score).Shift(-2)) {
			t.Fatalf("%s: weighted %s ≠ %s × %s / 100", k.KPI, k.Weighted, k.Weight, k.Score)
		}
		sum = sum.Add(k.Contribution)
		sub = sub.Add(k.Weighted)
	}
	if !sum.Equal(c.Total) || !sub.Equal(c.Subtotal) || !c.Subtotal.Mul(c.Factor).Equal(c.Total) {
		t.Fatalf("breakdown %s (subtotal %s × %s) does not add up to the total %s", sum, sub, c.Factor, c.Total)
	}
}

// genBonus draws a valid bonus scheme over scorecard sc.
func genBonus(t *rapid.T, set *kpi.Set, sc ScorecardDef) *Bonus {
	def := BonusDef{ID: "b", Scorecard: sc.ID, Currency: rapid.SampledFrom([]string{"RUB", "JPY", "KWD", "USD"}).Draw(t, "currency"),
		Rounding: rapid.SampledFrom([]Rounding{"", RoundHalfUp, RoundHalfEven, RoundDown, RoundUp}).Draw(t, "rounding")}
	base := genDec(t, 0, 100000, 2, "base_amount")
	def.Base = &base
	if rapid.Bool().Draw(t, "threshold") {
		th := genDec(t, 0, 120, 1, "threshold")
		def.Threshold = &th
	}
	if rapid.Bool().Draw(t, "payout") {
		n := rapid.IntRange(2, 4).Draw(t, "payout_points")
		at := genIncreasing(t, n, 0, "payout_at")
		pc := genNonDecreasing(t, n, "payout_pct")
		for i := range n {
			def.Payout = append(def.Payout, PayoutPoint{Score: at[i], Percent: pc[i]})
		}
	}
	if rapid.Bool().Draw(t, "cap") {
		c := genDec(t, 0, 300, 1, "cap")
		def.Cap = &c
	}
	if rapid.Bool().Draw(t, "tiers") {
		from := genIncreasing(t, rapid.IntRange(1, 3).Draw(t, "bands"), 0, "band")
		for _, f := range from {
			def.Tiers = append(def.Tiers, TierDef{From: f, Rate: genDec(t, 0, 2000, 2, "rate")})
		}
	}
	if rapid.Bool().Draw(t, "max") {
		m := genDec(t, 0, 200000, 2, "max")
		def.Max = &m
	}
	for i := range rapid.IntRange(0, 2).Draw(t, "penalties") {
		p := PenaltyDef{KPI: sc.KPIs[i].Indicator, BelowScore: decp("100")}
		if rapid.Bool().Draw(t, "percent") {
			v := genDec(t, 0, 100, 1, "pct")
			p.Percent = &v
		} else {
			v := genDec(t, 0, 20000, 2, "amt")
			p.Amount = &v
		}
		def.Penalties = append(def.Penalties, p)
	}
	s, err := Compile(Defs{Scorecards: []ScorecardDef{sc}, Bonuses: []BonusDef{def}}, Env{Indicators: set})
	if err != nil {
		t.Fatalf("generated an invalid bonus: %v", err)
	}
	return s.bonuses[0]
}

// propCard is a monthly scorecard of the three indicators of propSet.
func propCard() ScorecardDef {
	return ScorecardDef{ID: "s", Grain: period.Month, KPIs: []KPIDef{
		{Indicator: "k1", Target: decp("1"), Weight: dec("50")}, {Indicator: "k2", Target: decp("1"), Weight: dec("30")}, {Indicator: "k3", Target: decp("1"), Weight: dec("20")},
	}}
}

// TestBonusMonotoneProperty: a higher total never pays less (the KPI rows
// that decide penalties held equal), and every amount is a whole number of
// minor units.
func TestBonusMonotoneProperty(t *testing.T) {
	set, sc := propSet(t), propCard()
	rapid.Check(t, func(t *rapid.T) {
		b := genBonus(t, set, sc)
		rows := []KPIScore{{KPI: "k1", Score: genDec(t, 0, 150, 2, "s1")}, {KPI: "k2", Score: genDec(t, 0, 150, 2, "s2")}, {KPI: "k3", Score: genDec(t, 0, 150, 2, "s3")}}
		lo := genDec(t, -20, 200, 4, "lo")
		hi := lo.Add(genDec(t, 0, 100, 4, "up"))
		basis := decimal.NewNullDecimal(genDec(t, 0, 1000, 2, "basis"))
		pl := b.Pay(Card{Total: lo, KPIs: rows}, basis)
		ph := b.Pay(Card{Total: hi, KPIs: rows}, basis)
		if ph.Amount.LessThan(pl.Amount) || ph.Exact.LessThan(pl.Exact) {
			t.Fatalf("total %s pays %s (%s), total %s pays %s (%s)", lo, pl.Amount, pl.Exact, hi, ph.Amount, ph.Exact)
		}
		for _, p := range []Payout{pl, ph} {
			if p.Amount.IsNegative() || !p.Amount.Shift(b.places).IsInteger() {
				t.Fatalf("amount %s is not a whole number of %s minor units", p.Amount, b.def.Currency)
			}
			if d := p.Amount.Sub(p.Exact).Abs(); d.GreaterThanOrEqual(decimal.New(1, -b.places)) {
				t.Fatalf("amount %s is a minor unit or more from the exact %s", p.Amount, p.Exact)
			}
		}
	})
}

// TestSplitProperty: the parts add up to the amount, each within one minor
// unit of its exact quota, and a zero weight gets nothing.
func TestSplitProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		places := int32(rapid.IntRange(0, 3).Draw(t, "places"))
		amount := decimal.New(rapid.Int64Range(0, 1e12).Draw(t, "units"), -places)
		n := rapid.IntRange(1, 12).Draw(t, "n")
		ws := make([]decimal.Decimal, n)
		total := decimal.Zero
		for i := range ws {
			if rapid.IntRange(0, 4).Draw(t, "zero") > 0 {
				ws[i] = genDec(t, 0, 200, 3, "w")
			}
			total = total.Add(ws[i])
		}
		parts, err := Split(amount, ws, places)
		if total.IsZero() {
			if err != ErrZeroWeights {
				t.Fatalf("zero weights: %v", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		sum := decimal.Zero
		unit := new(big.Rat).SetFrac64(1, 1)
		unit.Quo(unit, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)))
		for i, p := range parts {
			sum = sum.Add(p)
			if ws[i].IsZero() && !p.IsZero() {
				t.Fatalf("part %d has weight 0 and gets %s", i, p)
			}
			quota := new(big.Rat).Mul(amount.Rat(), ws[i].Rat())
			quota.Quo(quota, total.Rat())
			diff := new(big.Rat).Sub(p.Rat(), quota)
			if diff.Abs(diff).Cmp(unit) >= 0 {
				t.Fatalf("part %d is %s, its quota %s", i, p, quota.FloatString(6))
			}
		}
		if !sum.Equal(amount) {
			t.Fatalf("parts add up to %s, not %s", sum, amount)
		}
	})
}

// TestPoolProperty: each team's pool is paid out exactly, whatever the
// scores.
func TestPoolProperty(t *testing.T) {
	set := propSet(t)
	sc := ScorecardDef{ID: "s", Grain: period.Month, KPIs: []KPIDef{
		{Indicator: "k1", Target: decp("1"), Weight: dec("50")}, {Indicator: "k2", Target: decp("1"), Weight: dec("30")}, {Indicator: "k3", Target: decp("1"), Weight: dec("20")},
	}}
	rapid.Check(t, func(t *rapid.T) {
		cur := rapid.SampledFrom([]string{"RUB", "JPY", "KWD"}).Draw(t, "currency")
		places, _ := MinorUnits(cur)
		amount := decimal.New(rapid.Int64Range(0, 1e9).Draw(t, "amount"), -places)
		s, err := Compile(Defs{Scorecards: []ScorecardDef{sc}, Bonuses: []BonusDef{{ID: "pool", Scorecard: "s", Currency: cur,
			Pool: &PoolDef{Amount: amount, Teams: []string{"t1", "t2"}}}}}, Env{Indicators: set})
		if err != nil {
			t.Fatal(err)
		}
		var cards []Card
		teams := map[string][]string{}
		for i := range rapid.IntRange(0, 8).Draw(t, "people") {
			p := fmt.Sprintf("p%d", i)
			cards = append(cards, Card{Participant: p, Total: genDec(t, -10, 200, 3, "total")})
			team := rapid.SampledFrom([]string{"t1", "t2"}).Draw(t, "team")
			teams[team] = append(teams[team], p)
		}
		teams["t1"], teams["t2"] = append(teams["t1"], "ghost"), append(teams["t2"], []string{}...)
		pays, err := s.bonuses[0].Split(cards, teams)
		if err != nil {
			t.Fatal(err)
		}
		sums := map[string]decimal.Decimal{}
		weights := map[string]bool{}
		for _, p := range pays {
			sums[p.Pool.Team] = sums[p.Pool.Team].Add(p.Amount)
			weights[p.Pool.Team] = !p.Pool.Weights.IsZero()
		}
		for team, paid := range weights {
			if paid && !sums[team].Equal(amount) {
				t.Fatalf("team %s: shares add up to %s, pool %s", team, sums[team], amount)
			}
			if !paid && !sums[team].IsZero() {
				t.Fatalf("team %s has no weight and pays %s", team, sums[team])
			}
		}
	})
}

// TestRankProperty: ranks do not depend on the input order.
func TestRankProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 10).Draw(t, "n")
		var ss []Standing
		for i := range n {
			v := decimal.NullDecimal{}
			if rapid.IntRange(0, 5).Draw(t, "undef") > 0 {
				v = decimal.NewNullDecimal(decimal.NewFromInt(int64(rapid.IntRange(0, 4).Draw(t, "v"))))
			}
			ss = append(ss, Standing{Participant: fmt.Sprintf("p%d", i), Value: v})
		}
		lower := rapid.Bool().Draw(t, "lower")
		a := Rank(ss, lower)
		perm := rapid.Permutation(ss).Draw(t, "perm")
		b := Rank(perm, lower)
		if showRanks(a) != showRanks(b) {
			t.Fatalf("order changes the ranks:\n%s\n%s", showRanks(a), showRanks(b))
		}
		for i, s := range a {
			if s.Value.Valid && (s.Rank < 1 || s.Rank > i+1) {
				t.Fatalf("rank %d at position %d", s.Rank, i)
			}
		}
	})
}

package score

import (
	"fmt"
	"math/big"
	"slices"

	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/internal/deepcopy"
	"github.com/goalkit/goalkit/internal/defcheck"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/shopspring/decimal"
)

// BonusDef defines a bonus scheme over a scorecard's total score. The money
// is exact until the end, then rounded to the currency's minor unit in the
// declared mode. For each card:
//
//  1. under Threshold (a total score) nothing is paid;
//  2. the payout curve gives a percent of Base from the total (default: the
//     total itself, so 100 pays Base and 120 pays 1.2 × Base), held at 0 and
//     at most Cap; points with a steeper slope above 100 are accelerators;
//  3. Tiers add a progressive amount over TierBasis (the total score, or an
//     indicator's value such as revenue) with marginal rates per band;
//  4. the sum is held at most Max;
//  5. Penalties for failed critical KPIs take a percent of that sum or a
//     fixed amount off, never below 0;
//  6. the result is rounded to the currency's minor unit.
//
// A scheme with Pool instead splits a fixed amount by score share.
type BonusDef struct {
	ID        string `json:"id"`
	Name      string `json:"name,omitempty"`
	Scorecard string `json:"scorecard"`
	// Currency is an ISO 4217 code; MinorUnits overrides the built-in
	// table's decimal places for it.
	Currency   string   `json:"currency"`
	MinorUnits *int     `json:"minor_units,omitempty"`
	Rounding   Rounding `json:"rounding,omitempty"`
	// Base is paid at a payout of 100 %, in Currency; nil: no base part.
	Base *decimal.Decimal `json:"base,omitempty"`
	// Threshold is the least total score that is paid; nil: none.
	Threshold *decimal.Decimal `json:"threshold,omitempty"`
	// Payout is the payout curve (nil: the total score is the percent).
	Payout []PayoutPoint `json:"payout,omitempty"`
	// Cap is the highest payout percent; nil: none.
	Cap *decimal.Decimal `json:"cap,omitempty"`
	// TierBasis is the indicator the tiers are over; "": the total score.
	TierBasis string    `json:"tier_basis,omitempty"`
	Tiers     []TierDef `json:"tiers,omitempty"`
	// Max is the most the base and tiers pay together, in Currency,
	// before penalties; nil: no limit.
	Max       *decimal.Decimal `json:"max,omitempty"`
	Penalties []PenaltyDef     `json:"penalties,omitempty"`
	Pool      *PoolDef         `json:"pool,omitempty"`
}

// PayoutPoint is one point of a payout curve: a total score and the percent
// of the base it pays. Between points the curve is linear; past the first
// and last point it continues along the end segments, held at 0 and at the
// cap.
type PayoutPoint struct {
	Score   decimal.Decimal `json:"score"`
	Percent decimal.Decimal `json:"percent"`
}

// PenaltyDef cuts the bonus when a KPI fails: when its score is under
// BelowScore, or, without BelowScore, when it is critical and its gate
// tripped. The cut is Percent (0 to 100) of the Payout's Gross (after Max,
// before any penalty: two penalties of 50 % take it all) or a fixed Amount
// in the scheme's currency: exactly one of the two.
type PenaltyDef struct {
	KPI        string           `json:"kpi"`
	BelowScore *decimal.Decimal `json:"below_score,omitempty"`
	Percent    *decimal.Decimal `json:"percent,omitempty"`
	Amount     *decimal.Decimal `json:"amount,omitempty"`
}

// Bonus is a compiled bonus scheme. It is immutable and safe for concurrent
// use. A nil or zero Bonus (one Compile did not make) is a scheme of
// nothing: Pay pays 0 and Split, not being a pool, is an error.
type Bonus struct {
	def       BonusDef
	sc        *Scorecard
	places    int32
	curve     []CurvePoint // Score→At, Percent→Score
	exps      [2]int32     // exponents(curve)
	tiers     *Tiers
	tierBasis *kpi.Indicator
	penalties []penalty
}

type penalty struct {
	kpi     string
	below   decimal.NullDecimal
	percent decimal.NullDecimal
	amount  decimal.NullDecimal
}

// ID returns the scheme's id.
func (b *Bonus) ID() string {
	if b == nil {
		return ""
	}
	return b.def.ID
}

// Def returns the definition the scheme was compiled from: a copy, which the
// caller may change without changing the scheme.
func (b *Bonus) Def() BonusDef {
	if b == nil {
		return BonusDef{}
	}
	return deepcopy.Of(b.def)
}

var defaultPayout = []CurvePoint{{At: decimal.Zero, Score: decimal.Zero}, {At: hundred, Score: hundred}}

func compileBonus(def BonusDef, path string, set *kpi.Set, scorecards map[string]*Scorecard, ps *problem.List) *Bonus {
	b := &Bonus{def: def, curve: defaultPayout}
	defcheck.ID(ps, path+".id", def.ID)
	b.sc = lookupScorecard(def.Scorecard, path+".scorecard", scorecards, ps)
	switch {
	case def.Currency == "":
		ps.Add(path+".currency", problem.Required, "currency is required (an ISO 4217 code)")
	case !currencyPattern.MatchString(def.Currency):
		ps.Add(path+".currency", problem.Invalid, fmt.Sprintf("currency %q is not an ISO 4217 code", def.Currency))
	default:
		n, err := currencyPlaces(def.Currency, def.MinorUnits)
		if err != nil {
			ps.AddErr(path+".minor_units", problem.Invalid, err)
		}
		b.places = n
	}
	if !def.Rounding.Valid() {
		ps.Add(path+".rounding", problem.Invalid, fmt.Sprintf("rounding must be half_up, half_even, down or up, got %q", def.Rounding))
	}
	if def.Threshold != nil && def.Threshold.IsNegative() {
		ps.Add(path+".threshold", problem.Invalid, fmt.Sprintf("threshold must be at least 0, got %s", display.Number(*def.Threshold)))
	}
	nonNeg := func(field string, d *decimal.Decimal) {
		if d != nil && d.IsNegative() {
			ps.Add(path+"."+field, problem.Invalid, fmt.Sprintf("%s must be at least 0, got %s", field, display.Number(*d)))
		}
	}
	if def.Pool != nil {
		for _, f := range []struct {
			name string
			set  bool
		}{{"base", def.Base != nil}, {"payout", len(def.Payout) > 0}, {"cap", def.Cap != nil}, {"tiers", len(def.Tiers) > 0},
			{"max", def.Max != nil}, {"penalties", len(def.Penalties) > 0}, {"tier_basis", def.TierBasis != ""}} {
			if f.set {
				ps.Add(path+"."+f.name, problem.Conflict, f.name+" does not apply to a pool (a pool splits a fixed amount by score share)")
			}
		}
		if def.Pool.Amount.IsNegative() {
			ps.Add(path+".pool.amount", problem.Invalid, fmt.Sprintf("amount must be at least 0, got %s", display.Number(def.Pool.Amount)))
		} else if !def.Pool.Amount.Shift(b.places).IsInteger() {
			ps.Add(path+".pool.amount", problem.Invalid, fmt.Sprintf("amount %s is not a whole number of %s minor units (%d decimal places)", display.Number(def.Pool.Amount), def.Currency, b.places))
		}
		for j, t := range def.Pool.Teams {
			groupID(ps, fmt.Sprintf("%s.pool.teams[%d]", path, j), t)
			if k := slices.Index(def.Pool.Teams[:j], t); k >= 0 && t != "" {
				// Each listing is a pool of the amount: paid twice.
				ps.Add(fmt.Sprintf("%s.pool.teams[%d]", path, j), problem.Duplicate, fmt.Sprintf("team %q is already listed at pool.teams[%d]: its pool would be paid twice", t, k))
			}
		}
		return b
	}
	if def.Base == nil && len(def.Tiers) == 0 {
		ps.Add(path+".base", problem.Required, "a bonus scheme needs a base, tiers or a pool")
	}
	nonNeg("base", def.Base)
	nonNeg("cap", def.Cap)
	nonNeg("max", def.Max)
	if len(def.Payout) > 0 {
		if def.Base == nil {
			ps.Add(path+".payout", problem.Conflict, "a payout curve needs a base to pay a percent of")
		}
		pts := make([]CurvePoint, len(def.Payout))
		for i, p := range def.Payout {
			pts[i] = CurvePoint{At: p.Score, Score: p.Percent}
		}
		c := &Curve{dir: HigherIsBetter}
		c.compilePoints(pts, path+".payout", ps)
		b.curve = c.points
	}
	b.exps = exponents(b.curve)
	if def.Cap != nil && def.Base == nil {
		ps.Add(path+".cap", problem.Conflict, "cap is a percent of the base: declare a base (or use max)")
	}
	if len(def.Tiers) > 0 {
		b.tiers = compileTiers(def.Tiers, path+".tiers", ps)
		switch def.TierBasis {
		case "", "score":
		default:
			if set != nil {
				ix, ok := set.Lookup(def.TierBasis)
				if !ok {
					ps.Add(path+".tier_basis", problem.Unknown, "tier_basis is score or an indicator: "+unknownMsg("indicator", def.TierBasis, set.IDs()))
				}
				b.tierBasis = ix
			}
		}
	} else if def.TierBasis != "" {
		ps.Add(path+".tier_basis", problem.Conflict, "tier_basis needs tiers")
	}
	for j, pd := range def.Penalties {
		pp := fmt.Sprintf("%s.penalties[%d]", path, j)
		pen := penalty{kpi: pd.KPI}
		var k *scoredKPI
		if pd.KPI == "" {
			ps.Add(pp+".kpi", problem.Required, "kpi is required")
		} else if b.sc != nil {
			k = b.sc.byID[pd.KPI]
			if k == nil {
				ps.Add(pp+".kpi", problem.Unknown, unknownMsg("KPI of scorecard "+b.sc.def.ID, pd.KPI, b.sc.KPIs()))
			}
		}
		if pd.BelowScore != nil {
			pen.below = decimal.NewNullDecimal(*pd.BelowScore)
		} else if k != nil && k.gate == nil {
			ps.Add(pp+".below_score", problem.Required, fmt.Sprintf("the KPI %s is not critical: declare below_score (the score under which the penalty applies)", pd.KPI))
		}
		switch {
		case (pd.Percent == nil) == (pd.Amount == nil):
			ps.Add(pp, problem.Invalid, "a penalty has either a percent or an amount")
		case pd.Percent != nil:
			if pd.Percent.IsNegative() || pd.Percent.GreaterThan(hundred) {
				ps.Add(pp+".percent", problem.Invalid, fmt.Sprintf("percent must be 0 to 100, got %s", display.Number(*pd.Percent)))
			}
			pen.percent = decimal.NewNullDecimal(*pd.Percent)
		default:
			if pd.Amount.IsNegative() {
				ps.Add(pp+".amount", problem.Invalid, fmt.Sprintf("amount must be at least 0, got %s", display.Number(*pd.Amount)))
			}
			pen.amount = decimal.NewNullDecimal(*pd.Amount)
		}
		b.penalties = append(b.penalties, pen)
	}
	return b
}

// PenaltyHit is a penalty that applied.
type PenaltyHit struct {
	KPI string `json:"kpi"`
	// Percent is the declared percent, if any.
	Percent decimal.NullDecimal `json:"percent"`
	// Amount is what the penalty took off (exact).
	Amount decimal.Decimal `json:"amount"`
}

// PoolShare says how a pool payout was split.
type PoolShare struct {
	// Team is the team whose pool it is; "" for a scheme without teams.
	Team string `json:"team,omitempty"`
	// Amount is the whole pool.
	Amount decimal.Decimal `json:"amount"`
	// Weight is the participant's share weight (its total, or 0 under the
	// threshold or below 0); Weights is the sum of the team's weights.
	Weight  decimal.Decimal `json:"weight"`
	Weights decimal.Decimal `json:"weights"`
}

// Payout is one participant's bonus for one period, with how it came about.
type Payout struct {
	Bonus       string        `json:"bonus"`
	Participant string        `json:"participant"`
	Period      period.Period `json:"-"`
	Label       string        `json:"period"`
	Currency    string        `json:"currency"`
	// Score is the card's total score.
	Score decimal.Decimal `json:"score"`
	// Qualified is false when the score is under the threshold.
	Qualified bool `json:"qualified"`
	// Percent is the payout curve's percent of the base, after the cap;
	// undefined without a base, or for a total the curve cannot place (Pay).
	Percent decimal.NullDecimal `json:"percent"`
	// BaseAmount is Base × Percent / 100.
	BaseAmount decimal.Decimal `json:"base_amount"`
	// TierAmount is Σ of the tiers' amounts, with the parts in Tiers.
	TierAmount decimal.Decimal `json:"tier_amount"`
	Tiers      []TierPart      `json:"tiers,omitempty"`
	// Gross is BaseAmount + TierAmount, held at most at Max (then Capped).
	Gross  decimal.Decimal `json:"gross"`
	Capped bool            `json:"capped,omitempty"`
	// Penalties lists the penalties that applied.
	Penalties []PenaltyHit `json:"penalties,omitempty"`
	// Exact is Gross minus the penalties, at least 0: the unrounded bonus.
	// For a pool it is the participant's largest-remainder share, already
	// in minor units, as Gross and Amount are (the unrounded quota is
	// Pool.Amount × Pool.Weight / Pool.Weights).
	Exact decimal.Decimal `json:"exact"`
	// Amount is Exact rounded to the currency's minor unit (for a pool: the
	// participant's largest-remainder share).
	Amount   decimal.Decimal `json:"amount"`
	Rounding Rounding        `json:"rounding"`
	Pool     *PoolShare      `json:"pool,omitempty"`
}

// MarshalJSON writes the payout with its period as period, period_start and
// period_end.
func (p Payout) MarshalJSON() ([]byte, error) {
	type plain Payout
	return periodJSON(plain(p), p.Period)
}

// Pay computes the bonus of a card of the scheme's scorecard. basis is the
// tier basis indicator's value for the card's participant and period (it is
// ignored when the tiers are over the score). Pay is monotone: a higher
// total never pays less, all else equal.
//
// The arithmetic is exact (in rationals) up to the final rounding, so the
// rounding mode applies to the exact amount. The unrounded figures of the
// Payout (Percent, BaseAmount, Gross, Exact, penalty amounts) are exact
// decimals when they terminate and keep 16 significant digits otherwise.
//
// A total whose exponent is more than 100,000 from the payout points' (a
// card a host made) is placed by orders of magnitude: the cap, or 0, where
// the curve rises or falls towards them; where they do not decide (far
// above the points without a cap, or far nearer zero than them), Percent
// is undefined and no base amount is paid, where the exact percent built a
// power of ten of as many digits as the exponents are apart and, near
// ±2^31, never returned.
func (b *Bonus) Pay(c Card, basis decimal.NullDecimal) Payout {
	if b == nil {
		b = &Bonus{}
	}
	p := Payout{Bonus: b.def.ID, Participant: c.Participant, Period: c.Period, Label: c.Label, Currency: b.def.Currency,
		Score: c.Total, Rounding: b.def.Rounding, BaseAmount: decimal.Zero, TierAmount: decimal.Zero, Gross: decimal.Zero, Exact: decimal.Zero}
	if p.Rounding == "" {
		p.Rounding = RoundHalfUp
	}
	// decimalx.Cmp: a total far from the threshold in exponent (10^-2147483643
	// against 70) is below it at once, where LessThan scaled one to the
	// other's exponent and never returned.
	p.Qualified = b.def.Threshold == nil || decimalx.Cmp(c.Total, *b.def.Threshold) >= 0
	if !p.Qualified {
		p.Amount = decimal.New(0, -b.places)
		return p
	}
	gross := new(big.Rat)
	if pct, ok := b.percent(c.Total); ok {
		p.Percent = decimal.NewNullDecimal(ratDecimal(pct))
		baseAmt := new(big.Rat).Mul(b.def.Base.Rat(), pct)
		baseAmt.Quo(baseAmt, ratHundred)
		p.BaseAmount = ratDecimal(baseAmt)
		gross.Add(gross, baseAmt)
	}
	if b.tiers != nil {
		x := c.Total
		if b.tierBasis != nil {
			x = decimal.Zero
			if basis.Valid {
				x = basis.Decimal
			}
		}
		p.TierAmount, p.Tiers = b.tiers.Amount(x)
		gross.Add(gross, p.TierAmount.Rat())
	}
	if b.def.Max != nil && gross.Cmp(b.def.Max.Rat()) > 0 {
		gross, p.Capped = b.def.Max.Rat(), true
	}
	p.Gross = ratDecimal(gross)
	net := new(big.Rat).Set(gross)
	for _, pen := range b.penalties {
		k, ok := c.KPI(pen.kpi)
		if !ok {
			continue
		}
		hit := k.Gated
		if pen.below.Valid {
			hit = decimalx.Cmp(k.Score, pen.below.Decimal) < 0
		}
		if !hit {
			continue
		}
		cut := pen.amount.Decimal.Rat()
		if pen.percent.Valid {
			cut = new(big.Rat).Mul(gross, pen.percent.Decimal.Rat())
			cut.Quo(cut, ratHundred)
		}
		net.Sub(net, cut)
		p.Penalties = append(p.Penalties, PenaltyHit{KPI: pen.kpi, Percent: pen.percent, Amount: ratDecimal(cut)})
	}
	if net.Sign() < 0 {
		net.SetInt64(0)
	}
	p.Exact = ratDecimal(net)
	p.Amount = p.Rounding.roundRat(net, b.places)
	return p
}

var ratHundred = big.NewRat(100, 1)

// percent is the payout curve's percent of the base at total, exact, held
// at 0 and at the cap; false without a base, or where the curve cannot
// place a total far from its points (interpolation): one whose exponent
// is more than 100,000 from the points' and that is nearer zero than
// them, or above them on a rising curve without a cap (a percent too long
// to write). A total far above or below the points on a rising curve is
// told by orders of magnitude: the cap, or 0.
func (b *Bonus) percent(total decimal.Decimal) (*big.Rat, bool) {
	if b.def.Base == nil {
		return nil, false
	}
	hi := decimal.Zero
	if b.def.Cap != nil {
		hi = *b.def.Cap
	}
	num, dx, past, ok := interpolation(b.curve, b.exps, total, decimal.Zero, hi)
	if !ok {
		return nil, false
	}
	pct := new(big.Rat).Quo(num.Rat(), dx.Rat())
	switch {
	case pct.Sign() < 0: // and so when past < 0: below 0
		pct.SetInt64(0)
	case b.def.Cap != nil && pct.Cmp(b.def.Cap.Rat()) > 0:
		pct = b.def.Cap.Rat()
	case past > 0: // above the stand-in's, without a cap
		return nil, false
	}
	return pct, true
}

// ratDecimal is r as a decimal: exact when it terminates, else 16
// significant digits.
func ratDecimal(r *big.Rat) decimal.Decimal {
	// A big.Rat's denominator is positive, and an exact quotient has at
	// most as many places as it has bits, a 16-digit one an exponent
	// within the digits of its numerator and denominator: ok is never
	// false for rationals of fewer than 2^31 digits (Pay's are of
	// numbers at most 100,000 places apart, and a plan's, within ±10000).
	q, _ := decimalx.Div(decimal.NewFromBigInt(r.Num(), 0), decimal.NewFromBigInt(r.Denom(), 0))
	return q
}

// roundRat rounds an exact rational to places decimal places in mode r.
func (r Rounding) roundRat(x *big.Rat, places int32) decimal.Decimal {
	num := new(big.Int).Mul(x.Num(), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil))
	den := x.Denom()
	neg := num.Sign() < 0
	num.Abs(num)
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	if rem.Sign() != 0 {
		up := false
		switch r {
		case RoundDown:
		case RoundUp:
			up = true
		default:
			c := new(big.Int).Lsh(rem, 1).Cmp(den)
			up = c > 0 || (c == 0 && (r != RoundHalfEven || q.Bit(0) == 1))
		}
		if up {
			q.Add(q, big.NewInt(1))
		}
	}
	if neg {
		q.Neg(q)
	}
	return decimal.NewFromBigInt(q, -places)
}

// Split pays a pool scheme for the cards of one period: per team (members
// given by teams, by team id) or among all the cards. Shares are by total
// score (0 under the threshold or below 0), in whole minor units by largest remainder,
// and add up to the pool exactly. When every weight of a pool is zero, the
// pool is not paid: every share is 0.
func (b *Bonus) Split(cards []Card, teams map[string][]string) ([]Payout, error) {
	if b == nil || b.def.Pool == nil {
		return nil, fmt.Errorf("bonus %q is not a pool", b.ID())
	}
	type pool struct {
		team  string
		cards []Card
	}
	var pools []pool
	if len(b.def.Pool.Teams) == 0 {
		pools = []pool{{cards: cards}}
	} else {
		for _, t := range b.def.Pool.Teams {
			members, ok := teams[t]
			if !ok {
				return nil, fmt.Errorf("bonus %s: pool team %q is not a group of the evaluation", b.def.ID, t)
			}
			var cs []Card
			for _, c := range cards {
				if slices.Contains(members, c.Participant) {
					cs = append(cs, c)
				}
			}
			pools = append(pools, pool{team: t, cards: cs})
		}
	}
	rounding := b.def.Rounding
	if rounding == "" {
		rounding = RoundHalfUp
	}
	var out []Payout
	for _, pl := range pools {
		weights := make([]decimal.Decimal, len(pl.cards))
		sum := decimal.Zero
		for i, c := range pl.cards {
			w := c.Total
			if w.IsNegative() || (b.def.Threshold != nil && decimalx.Cmp(c.Total, *b.def.Threshold) < 0) {
				w = decimal.Zero
			}
			weights[i] = w
			sum = sum.Add(w)
		}
		shares := make([]decimal.Decimal, len(pl.cards))
		if !sum.IsZero() {
			var err error
			if shares, err = Split(b.def.Pool.Amount, weights, b.places); err != nil {
				return nil, fmt.Errorf("bonus %s: %w", b.def.ID, err)
			}
		}
		for i, c := range pl.cards {
			amt := shares[i]
			if sum.IsZero() {
				amt = decimal.Zero
			}
			out = append(out, Payout{Bonus: b.def.ID, Participant: c.Participant, Period: c.Period, Label: c.Label, Currency: b.def.Currency,
				Score: c.Total, Qualified: b.def.Threshold == nil || decimalx.Cmp(c.Total, *b.def.Threshold) >= 0,
				BaseAmount: decimal.Zero, TierAmount: decimal.Zero, Gross: amt, Exact: amt, Amount: amt.Round(b.places), Rounding: rounding,
				Pool: &PoolShare{Team: pl.team, Amount: b.def.Pool.Amount, Weight: weights[i], Weights: sum}})
		}
	}
	return out, nil
}

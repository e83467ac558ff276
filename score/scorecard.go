package score

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/goalkit/goalkit/internal/display"

	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/internal/deepcopy"
	"github.com/goalkit/goalkit/internal/defcheck"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/shopspring/decimal"
)

// ScorecardDef defines a scorecard: 3 to 5 KPIs, each an indicator with a
// target, a weight and a scoring curve, whose weighted scores add up to a
// total score for each participant and period of the scorecard's grain.
type ScorecardDef struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Role names whom the scorecard is for ("sales manager"); a label.
	Role string `json:"role,omitempty"`
	// Participants are scored by the scorecard: users, or groups (teams
	// scored on their members' events together).
	Participants []string `json:"participants,omitempty"`
	// MembersOf scores every member of these groups (the evaluation's
	// groups, e.g. a directory's departments), in each period the members
	// the groups had in it (a dated member where their span meets it).
	MembersOf []string `json:"members_of,omitempty"`
	// Grain is the scorecard's period grain (month, quarter, …). Required.
	Grain period.Grain `json:"grain"`
	// ScorePlaces is how many decimal places a KPI's score and achievement
	// keep (default 2), rounded half away from zero.
	ScorePlaces *int `json:"score_places,omitempty"`
	// KPIs are the scorecard's KPIs; their weights sum to 100.
	KPIs []KPIDef `json:"kpis"`
}

// KPIDef is one KPI of a scorecard.
type KPIDef struct {
	// ID names the KPI in the scorecard; it defaults to the indicator's id.
	ID        string `json:"id,omitempty"`
	Name      string `json:"name,omitempty"`
	Indicator string `json:"indicator"`
	// Target is the actual that scores 100. Required.
	Target *decimal.Decimal `json:"target"`
	// Weight is the KPI's share of the total, in percent.
	Weight decimal.Decimal `json:"weight"`
	// Direction is higher (the default) or lower (is better).
	Direction Direction `json:"direction,omitempty"`
	// Threshold is the actual that scores 0 (default: 0 when higher is
	// better, twice the target when lower is better); Stretch, with
	// StretchScore (default 150), a third point of the default curve.
	Threshold    *decimal.Decimal `json:"threshold,omitempty"`
	Stretch      *decimal.Decimal `json:"stretch,omitempty"`
	StretchScore *decimal.Decimal `json:"stretch_score,omitempty"`
	// Curve replaces the default curve (threshold → 0, target → 100,
	// stretch → stretch score, continued past its ends).
	Curve *CurveDef `json:"curve,omitempty"`
	// Floor and Cap hold the score: floor 0 and no cap by default.
	Floor *decimal.Decimal `json:"floor,omitempty"`
	Cap   *decimal.Decimal `json:"cap,omitempty"`
	// Critical makes the KPI a gate on the total.
	Critical *GateDef `json:"critical,omitempty"`
	// TeamTarget says how a department ranked by achievement is measured
	// against the target: per_member (its actual per head; the default for
	// count, sum and distinct indicators) or same (its pooled actual; the
	// default for the others, such as ratios).
	TeamTarget string `json:"team_target,omitempty"`
}

// Scorecard is a compiled ScorecardDef. It is immutable and safe for
// concurrent use. A nil or zero Scorecard (one Compile did not make) has no
// id and no KPIs: ScoreValues gives it a card of none, and Score, which
// reads the values of its KPIs, refuses it.
type Scorecard struct {
	def    ScorecardDef
	kpis   []*scoredKPI
	byID   map[string]*scoredKPI
	places int32
}

type scoredKPI struct {
	id        string
	indicator string         // the indicator's id, as defined
	ind       *kpi.Indicator // nil when compiled without indicators
	target    decimal.Decimal
	weight    decimal.Decimal
	curve     *Curve
	gate      *gate
	perMember bool
}

// DefaultScorePlaces is how many decimal places scores keep by default.
const DefaultScorePlaces = 2

// ID returns the scorecard's id.
func (sc *Scorecard) ID() string {
	if sc == nil {
		return ""
	}
	return sc.def.ID
}

// Def returns the definition the scorecard was compiled from: a copy, which
// the caller may change without changing the scorecard.
func (sc *Scorecard) Def() ScorecardDef {
	if sc == nil {
		return ScorecardDef{}
	}
	return deepcopy.Of(sc.def)
}

// Grain returns the scorecard's period grain.
func (sc *Scorecard) Grain() period.Grain {
	if sc == nil {
		return period.Grain{}
	}
	return sc.def.Grain
}

// KPIs returns the ids of the scorecard's KPIs, in definition order.
func (sc *Scorecard) KPIs() []string {
	if sc == nil {
		return nil
	}
	ids := make([]string, len(sc.kpis))
	for i, k := range sc.kpis {
		ids[i] = k.id
	}
	return ids
}

func compileScorecard(def ScorecardDef, path string, set *kpi.Set, ps, warns *problem.List) *Scorecard {
	sc := &Scorecard{def: def, byID: map[string]*scoredKPI{}, places: DefaultScorePlaces}
	defcheck.ID(ps, path+".id", def.ID)
	if def.Grain.IsZero() {
		ps.Add(path+".grain", problem.Required, "grain is required (day, week, month, quarter, year, …)")
	}
	if def.ScorePlaces != nil {
		if *def.ScorePlaces < 0 || *def.ScorePlaces > 10 {
			ps.Add(path+".score_places", problem.Invalid, fmt.Sprintf("score_places must be 0..10, got %d", *def.ScorePlaces))
		} else {
			sc.places = int32(*def.ScorePlaces)
		}
	}
	for j, p := range def.Participants {
		if p == "" || p == org.Everyone {
			ps.Add(fmt.Sprintf("%s.participants[%d]", path, j), problem.Invalid, fmt.Sprintf("participant %q is not allowed", p))
		} else if bad := display.IDProblem(p); bad != "" {
			// No event's actor has such an id: the card could never count one.
			ps.Add(fmt.Sprintf("%s.participants[%d]", path, j), problem.Invalid, fmt.Sprintf("participant %q is not allowed: it %s", p, bad))
		}
	}
	for j, g := range def.MembersOf {
		groupID(ps, fmt.Sprintf("%s.members_of[%d]", path, j), g)
	}
	if len(def.KPIs) == 0 {
		ps.Add(path+".kpis", problem.Required, "a scorecard needs KPIs (3 to 5)")
		return sc
	}
	if n := len(def.KPIs); n < 3 || n > 5 {
		warns.Add(path+".kpis", problem.Invalid, fmt.Sprintf("%d KPIs: 3 to 5 keep a scorecard focused", n))
	}
	sum := decimal.Zero
	for j, kd := range def.KPIs {
		kp := fmt.Sprintf("%s.kpis[%d]", path, j)
		k := &scoredKPI{id: kd.ID, indicator: kd.Indicator, weight: kd.Weight}
		if k.id == "" {
			k.id = kd.Indicator
		} else {
			defcheck.ID(ps, kp+".id", kd.ID)
		}
		if prev, dup := sc.byID[k.id]; dup && k.id != "" {
			ps.Add(kp+".id", problem.Duplicate, fmt.Sprintf("the scorecard already has KPI %q at kpis[%d] (give one an id)", k.id, slices.Index(sc.kpis, prev)))
		} else {
			sc.byID[k.id] = k
		}
		switch {
		case kd.Indicator == "":
			ps.Add(kp+".indicator", problem.Required, "indicator is required")
		case set != nil:
			ix, ok := set.Lookup(kd.Indicator)
			if !ok {
				ps.Add(kp+".indicator", problem.Unknown, unknownMsg("indicator", kd.Indicator, set.IDs()))
			}
			k.ind = ix
		}
		if !kd.Weight.IsPositive() {
			ps.Add(kp+".weight", problem.Invalid, fmt.Sprintf("weight must be above 0, got %s", display.Number(kd.Weight)))
		}
		sum = sum.Add(kd.Weight)
		if kd.Target == nil {
			ps.Add(kp+".target", problem.Required, "target is required")
		} else {
			k.target = *kd.Target
			k.curve = compileCurve(CurveSpec{Direction: kd.Direction, Target: k.target, Threshold: kd.Threshold, Stretch: kd.Stretch,
				StretchScore: kd.StretchScore, Curve: kd.Curve, Floor: kd.Floor, Cap: kd.Cap, Places: sc.places}, kp, ps)
		}
		if kd.Critical != nil {
			k.gate = compileGate(kd.Critical, kd.Direction, kd.Threshold, kp+".critical", ps)
		}
		switch kd.TeamTarget {
		case "":
			k.perMember = k.additive()
		case "per_member":
			k.perMember = true
		case "same":
		default:
			ps.Add(kp+".team_target", problem.Invalid, fmt.Sprintf("team_target must be per_member or same, got %q", kd.TeamTarget))
		}
		sc.kpis = append(sc.kpis, k)
	}
	if !sum.Equal(hundred) {
		ps.Add(path+".kpis", problem.Invalid, fmt.Sprintf("weights sum to %s, want 100", display.Number(sum)))
	}
	return sc
}

// additive reports whether the KPI's indicator adds up over people: a
// count, a sum or a distinct count (not a ratio, an average, a min or max).
func (k *scoredKPI) additive() bool {
	return k.ind != nil && !k.ind.IsFormula() && (k.ind.Aggregate == kpi.Count || k.ind.Aggregate == kpi.Sum || k.ind.Aggregate == kpi.Distinct)
}

// KPIScore is what one KPI contributed to a total.
type KPIScore struct {
	KPI       string              `json:"kpi"`
	Indicator string              `json:"indicator"`
	Direction Direction           `json:"direction"`
	Actual    decimal.NullDecimal `json:"actual"`
	Target    decimal.Decimal     `json:"target"`
	// Achievement is Achieve's uncapped ratio of actual to target, shown in
	// percent rounded to the scorecard's places; null where Achieve has no
	// ratio.
	Achievement decimal.NullDecimal `json:"achievement"`
	// Score is the curve's score, in percent.
	Score decimal.Decimal `json:"score"`
	// Weight is the KPI's weight, in percent.
	Weight decimal.Decimal `json:"weight"`
	// Weighted is Weight × Score / 100, before gates.
	Weighted decimal.Decimal `json:"weighted"`
	// Contribution is Weighted × the card's gate factor: the KPIs'
	// contributions add up to the total exactly.
	Contribution decimal.Decimal `json:"contribution"`
	// Gated is true when the KPI is critical and its gate tripped.
	Gated bool `json:"gated,omitempty"`
}

// Card is one participant's scorecard for one period: the total and its
// breakdown.
type Card struct {
	Scorecard   string        `json:"scorecard"`
	Participant string        `json:"participant"`
	Period      period.Period `json:"-"`
	// Label is the period's label (2025-03).
	Label string `json:"period"`
	// Subtotal is Σ weighted scores, before gates.
	Subtotal decimal.Decimal `json:"subtotal"`
	// Factor is the product of the factors of the tripped gates; 1 when
	// none tripped, or when Subtotal is 0 or less (a gate never raises a
	// total).
	Factor decimal.Decimal `json:"factor"`
	// Total is Subtotal × Factor = Σ contributions.
	Total decimal.Decimal `json:"total"`
	KPIs  []KPIScore      `json:"kpis"`
}

// MarshalJSON writes the card with its period as period, period_start and
// period_end.
func (c Card) MarshalJSON() ([]byte, error) {
	type plain Card
	return periodJSON(plain(c), c.Period)
}

// periodJSON writes v, a result as a struct of its plain type (without its
// MarshalJSON, with a field at least), as a JSON object whose last fields
// are period_start and period_end, the period's bounds (dates, which JSON
// writes as they are).
func periodJSON(v any, p period.Period) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	b = append(b[:len(b)-1], `,"period_start":"`...)
	b = append(b, p.Start.String()...)
	b = append(b, `","period_end":"`...)
	b = append(b, p.End.String()...)
	return append(b, `"}`...), nil
}

// KPI returns the breakdown row of the KPI with the given id.
func (c *Card) KPI(id string) (KPIScore, bool) {
	if c == nil {
		return KPIScore{}, false
	}
	for _, k := range c.KPIs {
		if k.KPI == id {
			return k, true
		}
	}
	return KPIScore{}, false
}

// Score computes the card of participant for period p from the values of
// res, which must hold the scorecard's indicators for them.
func (sc *Scorecard) Score(res *kpi.Result, participant string, p period.Period) (Card, error) {
	return sc.scoreRow(res, participant, participant, p)
}

// scoreRow is Score of participant from the values of res's row row (a
// group's row in the scorecards' evaluations: rowOf).
func (sc *Scorecard) scoreRow(res *kpi.Result, row, participant string, p period.Period) (Card, error) {
	switch {
	case sc == nil || len(sc.kpis) == 0:
		return Card{}, fmt.Errorf("scorecard %q has no KPIs: make it with Compile", sc.ID())
	case res == nil:
		return Card{}, fmt.Errorf("scorecard %s: no result to read the values of participant %s from", sc.def.ID, display.QuoteID(participant))
	}
	if _, ok := res.Value(sc.kpis[0].indicator, row, p); !ok {
		return Card{}, fmt.Errorf("scorecard %s: the result has no values for participant %s in %s", sc.def.ID, display.QuoteID(participant), p)
	}
	label := p.String()
	if cal := res.Calendar(); cal != nil {
		label = cal.Label(p)
	}
	return sc.score(participant, p, label, func(k *scoredKPI) decimal.NullDecimal {
		v, _ := res.Value(k.indicator, row, p)
		return v
	})
}

// ScoreValues computes a card from actual values given by KPI id: a value
// missing from actuals is undefined, and an id that is none of the
// scorecard's KPIs (a misspelt one, whose KPI would score undefined) is an
// error. It is the pure core of Score.
func (sc *Scorecard) ScoreValues(participant string, p period.Period, label string, actuals map[string]decimal.NullDecimal) (Card, error) {
	if sc == nil {
		sc = &Scorecard{}
	}
	for _, id := range sortedKeys(actuals) {
		if sc.byID[id] == nil {
			return Card{}, fmt.Errorf("scorecard %s: actuals: %s", sc.def.ID, unknownMsg("KPI", id, sc.KPIs()))
		}
	}
	return sc.score(participant, p, label, func(k *scoredKPI) decimal.NullDecimal { return actuals[k.id] })
}

// scoreTeam scores a group by achievement: per-member KPIs measure its
// actual per head, the others its pooled actual.
func (sc *Scorecard) scoreTeam(res *kpi.Result, group string, headcount int, p period.Period, label string) (Card, error) {
	return sc.score(group, p, label, func(k *scoredKPI) decimal.NullDecimal {
		v, _ := res.Value(k.indicator, rowOf(group), p)
		if !k.perMember || !v.Valid {
			return v
		}
		q, ok := decimalx.Div(v.Decimal, decimal.NewFromInt(int64(headcount)))
		if !ok {
			return decimal.NullDecimal{}
		}
		return decimal.NewNullDecimal(q)
	})
}

func (sc *Scorecard) score(participant string, p period.Period, label string, actual func(*scoredKPI) decimal.NullDecimal) (Card, error) {
	c := Card{Scorecard: sc.def.ID, Participant: participant, Period: p, Label: label, Factor: one, Subtotal: decimal.Zero, Total: decimal.Zero,
		KPIs: make([]KPIScore, len(sc.kpis))}
	for i, k := range sc.kpis {
		a := actual(k)
		s, err := k.curve.Score(a)
		if err != nil {
			return Card{}, fmt.Errorf("scorecard %s, KPI %s, participant %s, period %s: %w", sc.def.ID, k.id, display.QuoteID(participant), label, err)
		}
		row := KPIScore{KPI: k.id, Indicator: k.indicator, Direction: k.curve.dir, Actual: a, Target: k.target, Score: s, Weight: k.weight,
			Weighted: k.weight.Mul(s).Shift(-2)}
		if a.Valid {
			row.Achievement = achievement(k.curve.dir, a.Decimal, k.target, sc.places)
		}
		if k.gate != nil && k.gate.tripped(a) {
			row.Gated = true
			c.Factor = c.Factor.Mul(k.gate.factor)
		}
		c.Subtotal = c.Subtotal.Add(row.Weighted)
		c.KPIs[i] = row
	}
	if !c.Subtotal.IsPositive() {
		// A gate never raises a total: one of 0 or less (negative floors) is
		// kept as it is.
		c.Factor = one
	}
	for i := range c.KPIs {
		c.KPIs[i].Contribution = c.KPIs[i].Weighted.Mul(c.Factor)
		c.Total = c.Total.Add(c.KPIs[i].Contribution)
	}
	return c, nil
}

package goal

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/internal/defcheck"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// SuggestRequest says how Set.Suggest proposes targets.
type SuggestRequest struct {
	// AsOf is the instant of the proposal: only events up to it count.
	AsOf time.Time
	// For picks each goal's period: the instance that contains this date,
	// or the first one after it. Zero means the instance after the one
	// that contains AsOf's date.
	For date.Date
	// History is how many earlier periods are read (default 12).
	History int
	// Percentile is the share in [0, 1] of the earlier periods' results per
	// working day taken as the base (default 0.5, the median); for a
	// lower-is-better goal it counts from the low end.
	Percentile *decimal.Decimal
	// Stretch multiplies the proposal (divides it, lower is better);
	// default 1. Either number's exponent must be within
	// ±decimal.MaxDecodeExponent, as a plan file's numbers are.
	Stretch *decimal.Decimal
	// Org, Rates and BudgetRates are as for evaluation.
	Org         *org.Org
	Rates       kpi.Rates
	BudgetRates kpi.Rates
}

// Suggest proposes the targets of every additive cumulative goal (count or
// sum) for each participant of its coming period, from the events of tab.
func (s *Set) Suggest(ctx context.Context, tab *kpi.Table, req SuggestRequest) ([]forecast.Suggestion, error) {
	if req.AsOf.IsZero() {
		return nil, errors.New("goal: suggest needs an as-of instant")
	}
	h := req.History
	if h == 0 {
		h = forecast.DefaultSuggestHistory
	}
	if h < 1 || h > forecast.MaxHistory*2 {
		return nil, fmt.Errorf("goal: suggest history must be 1..%d periods, got %d", forecast.MaxHistory*2, h)
	}
	q := decimal.RequireFromString("0.5")
	if req.Percentile != nil {
		q = *req.Percentile
	}
	if err := suggestExponent("percentile", q); err != nil {
		return nil, err
	}
	if q.Sign() < 0 || q.Cmp(one) > 0 {
		return nil, fmt.Errorf("goal: suggest percentile must be in [0, 1], got %s", q)
	}
	stretch := one
	if req.Stretch != nil {
		stretch = *req.Stretch
	}
	if err := suggestExponent("stretch", stretch); err != nil {
		return nil, err
	}
	if stretch.Sign() <= 0 {
		return nil, fmt.Errorf("goal: suggest stretch must be above 0, got %s", stretch)
	}
	r := Request{AsOf: req.AsOf, Org: req.Org, Rates: req.Rates, BudgetRates: req.BudgetRates}
	e, err := s.newEvaluator(ctx, tab, &r)
	if err != nil {
		return nil, err
	}
	e.org = req.Org
	cal := s.cal
	var insts []*inst
	for _, g := range s.goals {
		if !g.additive() {
			continue
		}
		day := req.For
		if day == 0 {
			cur, ok := g.current(cal, cal.Date(req.AsOf))
			if !ok {
				continue
			}
			day = cur.End
			if cur.Start > cal.Date(req.AsOf) {
				day = cur.Start
			}
		}
		p, ok := g.current(cal, day)
		if !ok || p.End <= day {
			continue
		}
		in, err := e.instance(g, p)
		if err != nil {
			return nil, err
		}
		insts = append(insts, in)
	}
	// Each member of a company without a directory: whoever acted in the
	// history read.
	for _, in := range insts {
		if in.dynamic {
			e.resolveDynamicOver(in, tab, period.Period{Grain: in.p.Grain, Start: back(cal, in.p, h).Start, End: in.p.End}, variant{asOf: req.AsOf})
		}
	}
	v := variant{asOf: req.AsOf}
	pass := func() []forecast.Suggestion {
		var out []forecast.Suggestion
		for _, in := range insts {
			for _, sj := range in.measured() {
				if sg, ok := e.suggest(in.g, sj, in.p, v, h, q, stretch); ok {
					out = append(out, sg)
				}
			}
		}
		return out
	}
	pass()
	if ok, err := e.fetch(ctx, tab, insts); !ok || err != nil {
		return nil, err
	}
	return pass(), nil
}

// suggestExponent refuses a percentile or stretch whose exponent is past
// what a plan file's reader takes (±decimal.MaxDecodeExponent): the
// suggestion rounds a number of that exponent to whole units or cents, a
// power of ten of as many digits (1e-2147483648 was four billion), and
// its text would be as long. The number is named by its coefficient and
// exponent.
func suggestExponent(field string, x decimal.Decimal) error {
	if defcheck.InRange(x) {
		return nil
	}
	return fmt.Errorf("goal: suggest %s %se%d has the exponent %d: at most ±%d", field, x.Coefficient(), x.Exponent(), x.Exponent(), decimal.MaxDecodeExponent)
}

// additive reports whether the goal adds up day by day: a cumulative count
// or sum.
func (g *Goal) additive() bool {
	return len(g.items) == 0 && g.measure == Cumulative && (g.aggregate == kpi.Count || g.aggregate == kpi.Sum) && !g.windowed
}

// perWorkday is the result of q per working day; ok is false for a period
// without working days or an undefined result (perDay).
func (e *evaluator) perWorkday(g *Goal, sj subject, q period.Period, v variant) (decimal.Decimal, bool) {
	a, _ := e.measure(g, sj, q, v)
	return perDay(a, e.cal.WorkCalendar().CountWorkdays(q.Start, q.End))
}

// perDay is a over wd working days; false when a is undefined, wd is 0,
// or the quotient has no decimal's 32-bit exponent (a result near
// 10^-2147483648, which a period then leaves out of the rates as it does
// an undefined result), rather than 0.
func perDay(a decimal.NullDecimal, wd int) (decimal.Decimal, bool) {
	if !a.Valid || wd == 0 {
		return decimal.Decimal{}, false
	}
	return decimalx.Div(a.Decimal, decimal.NewFromInt(int64(wd)))
}

// suggest computes one suggestion (see forecast.Suggestion).
func (e *evaluator) suggest(g *Goal, sj subject, p period.Period, v variant, h int, q, stretch decimal.Decimal) (forecast.Suggestion, bool) {
	cal := e.cal
	var rates []decimal.Decimal
	integral := true
	for k := 1; k <= h; k++ {
		x, ok := e.perWorkday(g, sj, back(cal, p, k), v)
		if !ok {
			continue
		}
		if a, _ := e.measure(g, sj, back(cal, p, k), v); a.Valid && !a.Decimal.Equal(decimalx.Round(a.Decimal, 0)) {
			integral = false
		}
		rates = append(rates, x)
	}
	// The oldest periods without any result predate the participant.
	for len(rates) > 0 && rates[len(rates)-1].IsZero() {
		rates = rates[:len(rates)-1]
	}
	season, seasonOK := e.season(g, sj, p, v, h)
	target := e.targetOf(g, sj, p, v)
	// The actual so far: zero before the period starts.
	actual, _ := e.measure(g, sj, p, v)
	if !actual.Valid {
		actual = decimal.NewNullDecimal(decimal.Zero)
	}
	if e.f.recording {
		spec := g.chance
		if spec == nil {
			spec = &defaultChance
		}
		e.chanceWith(spec, g, sj, p, v, decimal.NewNullDecimal(decimal.Zero), target)
		return forecast.Suggestion{}, false
	}
	if !seasonOK {
		return forecast.Suggestion{}, false
	}
	lower := g.dir == score.LowerIsBetter
	pq := q
	if lower {
		pq = one.Sub(q)
	}
	base, ok := forecast.Percentile(rates, pq)
	if !ok {
		return forecast.Suggestion{}, false
	}
	wd := cal.WorkCalendar().CountWorkdays(p.Start, p.End)
	t := base.Mul(decimal.NewFromInt(int64(wd))).Mul(season)
	if t, ok = stretched(t, stretch, lower); !ok {
		return forecast.Suggestion{}, false
	}
	places := int32(2)
	if integral {
		places = 0
	}
	t = decimalx.Round(t, places)
	sg := forecast.Suggestion{Goal: g.def.ID, Participant: sj.id, Kind: string(sj.kind), Period: cal.Label(p), PeriodStart: p.Start, PeriodEnd: p.End,
		Target: t, Base: decimalx.Round(base, 4), Workdays: wd, Season: decimalx.Round(season, 4), Stretch: stretch, Periods: len(rates)}
	spec := g.chance
	if spec == nil {
		spec = &defaultChance
	}
	sg.Chance = decimalx.Text(e.chanceWith(spec, g, sj, p, v, actual, decimal.NewNullDecimal(t)).Reach)
	if target.Valid {
		sg.Current = decimalx.Text(target)
		sg.CurrentChance = decimalx.Text(e.chanceWith(spec, g, sj, p, v, actual, target).Reach)
	}
	return sg, true
}

// stretched is t stretched by stretch > 0 (its exponent within ±10000:
// Suggest refuses others): times it, or divided by it when lower is
// better; false when the quotient has no decimal's 32-bit exponent (a
// rate near 10^-2147483648: no suggestion), rather than 0.
func stretched(t, stretch decimal.Decimal, lower bool) (decimal.Decimal, bool) {
	if lower {
		return decimalx.Div(t, stretch)
	}
	return t.Mul(stretch), true
}

// season is the seasonal factor of p: the result per working day of the
// same period a year before, against the mean of the h periods before that
// one; 1 unless each of those h periods has a positive result (a window
// only partly covered by history would read as a season). It is undefined
// (false: no suggestion) when the factor has no decimal's 32-bit exponent
// (seasonFactor), rather than 0.
func (e *evaluator) season(g *Goal, sj subject, p period.Period, v variant, h int) (decimal.Decimal, bool) {
	ya := yearAgo(e.cal, p)
	x, ok := e.perWorkday(g, sj, ya, v)
	sum := decimal.Zero
	full := true
	for k := 1; k <= h; k++ {
		// Every period is read, so that the recording pass asks for all.
		y, yok := e.perWorkday(g, sj, back(e.cal, ya, k), v)
		if !yok || y.Sign() <= 0 {
			full = false
			continue
		}
		sum = sum.Add(y)
	}
	if !ok || !full {
		return one, true
	}
	return seasonFactor(x, h, sum)
}

// seasonFactor is x against the mean of h rates that add up to sum > 0:
// x·h/sum; false when it has no decimal's 32-bit exponent (a year-ago
// rate near 10^-2147483648 against rates near 1).
func seasonFactor(x decimal.Decimal, h int, sum decimal.Decimal) (decimal.Decimal, bool) {
	return decimalx.Div(x.Mul(decimal.NewFromInt(int64(h))), sum)
}

// unlikely is the lint finding of a target whose chance under the forecast
// from history is below min, with what history suggests instead.
func unlikely(cal *period.Calendar, in *inst, sj subject, sg forecast.Suggestion, ok bool, min decimal.Decimal) (problem.Problem, bool) {
	if !ok || sg.Current == nil || sg.CurrentChance == nil {
		return problem.Problem{}, false
	}
	p := decimal.RequireFromString(*sg.CurrentChance)
	if p.Cmp(min) >= 0 {
		return problem.Problem{}, false
	}
	who := ""
	if sj.kind != Company || sj.id != org.Everyone {
		who = " for " + sj.id
	}
	msg := fmt.Sprintf("target %s%s of the %s %s has a %s chance by the daily results of earlier periods; the median per working day of the %d before gives %s",
		formatNumber(decimal.RequireFromString(*sg.Current)), who, grainNoun(cal, in.p), sg.Period, forecast.FormatChance(p), sg.Periods, formatNumber(sg.Target))
	if sg.Chance != nil {
		msg += fmt.Sprintf(" (%s chance)", forecast.FormatChance(decimal.RequireFromString(*sg.Chance)))
	}
	return problem.Problem{Severity: problem.SevWarning, Code: RuleUnlikely, Path: in.g.path + ".target", Msg: msg}, true
}

package goal

import (
	"errors"
	"fmt"
	"hash/fnv"

	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// ChanceDef asks for the probabilistic forecast of a goal: the distribution
// of the period's final value, drawn from the participant's own daily
// increments in earlier periods and in the current one (a two-stage
// bootstrap; docs/forecast.md has the maths and the reasons). Every row
// then carries the probability of reaching the target and the 10th, 50th
// and 90th percentiles of the final value.
type ChanceDef struct {
	// History is how many earlier periods the draw learns from, at most
	// forecast.MaxHistory, 36 (0: the default, 6).
	History int `json:"history,omitempty" plan:"positive"`
	// Decay is the weight of an earlier period relative to the one after
	// it, in (0, 1] (default 0.75): recent periods count more.
	Decay *decimal.Decimal `json:"decay,omitempty"`
	// Window is how near in its period a day of history must be to stand
	// for a day to come, as a share of the period, in [0, 1]: with 0.1 the
	// last days of a month are drawn from the last days of earlier months
	// (a month-end rush). 0, the default, draws from the whole period.
	Window *decimal.Decimal `json:"window,omitempty"`
	// Samples is how many paths are drawn, at most forecast.MaxSamples,
	// 100000 (0: the default, 1000).
	Samples int `json:"samples,omitempty" plan:"positive"`
	// Seed makes the draw reproducible; each row's draw is seeded by it,
	// the goal, the participant and the period.
	Seed int64 `json:"seed,omitempty"`
	// AtRisk, when set, judges a running goal by its probability instead of
	// its forecast: on_track from AtRisk, at_risk from OffTrack (default
	// half of AtRisk; set alone, refused), off_track below. Both are
	// probabilities in [0, 1], OffTrack not above AtRisk.
	AtRisk   *decimal.Decimal `json:"at_risk,omitempty"`
	OffTrack *decimal.Decimal `json:"off_track,omitempty"`
}

// defaultChance is the spec of goals that do not declare one.
var defaultChance = chanceSpec{history: forecast.DefaultChanceHistory, decay: forecast.DefaultDecay, window: forecast.DefaultChanceWindow}

type chanceSpec struct {
	history  int
	decay    float64
	window   float64
	samples  int
	seed     int64
	atRisk   decimal.Decimal
	offTrack decimal.Decimal
}

func compileChance(d Def, path string, additive bool, m Measure, ps *problem.List) *chanceSpec {
	if d.Chance == nil && d.Forecast != ForecastProbabilistic {
		return nil
	}
	var c ChanceDef
	at := path + ".chance"
	if d.Chance != nil {
		c = *d.Chance
	} else {
		at = path + ".forecast"
	}
	if (!additive && d.Indicator != "") || len(d.Checklist) > 0 || m == Level {
		ps.Add(at, problem.Conflict, "a probabilistic forecast needs a cumulative indicator that adds up day by day (aggregate count or sum)")
		return nil
	}
	s := &chanceSpec{history: c.History, decay: forecast.DefaultDecay, window: forecast.DefaultChanceWindow, samples: c.Samples, seed: c.Seed}
	switch {
	case c.History < 0 || c.History > forecast.MaxHistory:
		ps.Add(path+".chance.history", problem.Invalid, fmt.Sprintf("history must be 1..%d periods, got %d", forecast.MaxHistory, c.History))
	case c.History == 0:
		s.history = forecast.DefaultChanceHistory
	}
	if c.Decay != nil {
		if c.Decay.Sign() <= 0 || c.Decay.Cmp(one) > 0 {
			ps.Add(path+".chance.decay", problem.Invalid, fmt.Sprintf("decay must be above 0 and at most 1, got %s", c.Decay))
		}
		s.decay = c.Decay.InexactFloat64()
	}
	if c.Window != nil {
		if c.Window.Sign() < 0 || c.Window.Cmp(one) > 0 {
			ps.Add(path+".chance.window", problem.Invalid, fmt.Sprintf("window must be in [0, 1], got %s", c.Window))
		}
		s.window = c.Window.InexactFloat64()
	}
	if c.Samples < 0 || c.Samples > forecast.MaxSamples {
		ps.Add(path+".chance.samples", problem.Invalid, fmt.Sprintf("samples must be 1..%d, got %d", forecast.MaxSamples, c.Samples))
	}
	inUnit := func(name string, x *decimal.Decimal) {
		if x.Sign() < 0 || x.Cmp(one) > 0 {
			ps.Add(path+".chance."+name, problem.Invalid, fmt.Sprintf("%s must be a probability in [0, 1], got %s", name, x))
		}
	}
	if c.AtRisk != nil {
		inUnit("at_risk", c.AtRisk)
		s.atRisk = *c.AtRisk
		s.offTrack = c.AtRisk.Mul(decimal.New(5, -1)) // half, exactly (Div reads a global)
	}
	if c.OffTrack != nil {
		inUnit("off_track", c.OffTrack)
		if c.AtRisk == nil {
			ps.Add(path+".chance.off_track", problem.Conflict, "off_track needs at_risk")
		} else if c.OffTrack.Cmp(*c.AtRisk) > 0 {
			ps.Add(path+".chance.off_track", problem.Invalid, fmt.Sprintf("off_track (%s) must not be above at_risk (%s)", c.OffTrack, c.AtRisk))
		}
		s.offTrack = *c.OffTrack
	}
	return s
}

// chance computes the probabilistic forecast of one row at v.
func (e *evaluator) chance(g *Goal, sj subject, p period.Period, v variant, actual, target decimal.NullDecimal) forecast.Chance {
	return e.chanceWith(g.chance, g, sj, p, v, actual, target)
}

// chanceWith is chance under the spec.
func (e *evaluator) chanceWith(spec *chanceSpec, g *Goal, sj subject, p period.Period, v variant, actual, target decimal.NullDecimal) forecast.Chance {
	in, ended := e.chanceInput(spec, g, sj, p, v, actual)
	if !actual.Valid {
		return forecast.Chance{}
	}
	if ended {
		c := forecast.Chance{P10: actual, P50: actual, P90: actual}
		if target.Valid {
			c.Reach = decimal.NewNullDecimal(decimal.Zero)
			if score.Achieve(g.dir, actual, target).Met {
				c.Reach = decimal.NewNullDecimal(one)
			}
		}
		return c
	}
	if e.f.recording {
		return forecast.Chance{}
	}
	d, err := forecast.Simulate(in)
	if err != nil {
		if !errors.Is(err, forecast.ErrNoHistory) {
			panic(err) // the compiled spec keeps the input in bounds
		}
		return forecast.Chance{}
	}
	return chanceOf(d, g.dir, target)
}

// chanceOf summarises a distribution for a goal's direction and target:
// every number undefined where it has no samples.
func chanceOf(d forecast.Distribution, dir score.Direction, target decimal.NullDecimal) forecast.Chance {
	return d.Summary(target, dir == score.LowerIsBetter)
}

// chanceInput gathers what the draw of one row needs: the daily values of
// the earlier periods and of the current one so far, and the days to come.
// ended is true when the period is over at v.
func (e *evaluator) chanceInput(spec *chanceSpec, g *Goal, sj subject, p period.Period, v variant, actual decimal.NullDecimal) (in forecast.Input, ended bool) {
	cal := e.cal
	_, end := cal.Bounds(p)
	if !v.asOf.Before(end) {
		return in, true
	}
	work := cal.WorkCalendar()
	// The days of [from, to) of the period q, with their positions in q.
	dayValues := func(q period.Period, to date.Date) []forecast.Day {
		quiet := e.quietDays(g, q.Start, to)
		out := make([]forecast.Day, 0, max(int(to-q.Start), 0))
		for d := q.Start; d < to; d++ {
			x := e.dayValue(g, sj, v, d, quiet)
			val := decimal.Zero
			if x.Valid {
				val = x.Decimal
			}
			out = append(out, forecast.Day{Value: val, Work: work.IsWorkday(d), Pos: position(q, d)})
		}
		return out
	}
	for k := 1; k <= spec.history; k++ {
		q := back(cal, p, k)
		in.History = append(in.History, dayValues(q, q.End))
	}
	today := cal.Date(v.asOf)
	if today >= p.Start {
		in.Current = dayValues(p, min(today, p.End))
	}
	first := max(today, p.Start)
	for d := first; d < p.End; d++ {
		left := 1.0
		if d == today {
			from, to := cal.Midnight(d), cal.Midnight(d+1)
			left = float64(to.Sub(v.asOf)) / float64(to.Sub(from))
			if left <= 0 {
				continue
			}
		}
		in.Remaining = append(in.Remaining, forecast.Slot{Work: work.IsWorkday(d), Left: left, Pos: position(p, d)})
	}
	f := cal.Elapsed(p, v.asOf, period.WorkingTime)
	if f.Den > 0 {
		in.Elapsed = float64(f.Num) / float64(f.Den)
	}
	if actual.Valid {
		in.Actual = actual.Decimal
	}
	in.Decay, in.Samples, in.Window = spec.decay, spec.samples, spec.window
	in.Seed = chanceSeed(spec.seed, g.def.ID, sj.id, p)
	return in, false
}

// position is the place of the day d in the period q, in [0, 1).
func position(q period.Period, d date.Date) float64 {
	return float64(d-q.Start) / float64(q.Days())
}

// chanceSeed derives a row's seed from the plan's, so that a row's draw
// does not depend on which other rows a report holds.
func chanceSeed(seed int64, goal, participant string, p period.Period) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d\x00%s\x00%s\x00%d\x00%d", seed, goal, participant, p.Start, p.End)
	return h.Sum64()
}

// chanceText is the probabilistic part of a notification: "62 % likely to
// reach 500 000; at this pace 468 000".
func (r *Row) chanceText() string {
	verb := "reach"
	if r.Direction == score.LowerIsBetter {
		verb = "stay within"
	}
	s := fmt.Sprintf("%s likely to %s %s", forecast.FormatChance(r.Chance.Reach.Decimal), verb, numberText(r.Target))
	switch {
	case !r.Forecast.Valid:
	case r.ForecastMethod == Probabilistic:
		s += "; median forecast " + numberText(r.Forecast)
	default:
		s += "; at this pace " + formatNumber(decimalx.Round(r.Forecast.Decimal, 0))
	}
	return s
}

// numberText writes a number with its thousands grouped, "—" when undefined.
func numberText(d decimal.NullDecimal) string {
	if !d.Valid {
		return "—"
	}
	return formatNumber(d.Decimal)
}

package goal

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// BacktestRequest says what Set.Backtest replays.
type BacktestRequest struct {
	// From and To select the goal instances replayed: those that start in
	// [From, To) and are over by End.
	From, To date.Date
	// End is the instant the events reach: an instance's final value is its
	// actual at End.
	End time.Time
	// At are the points of each period where forecasts are made, as shares
	// of its calendar time in (0, 1), each moved back to the start of its
	// day (a forecast is made with whole days behind it); nil means 0.25,
	// 0.5 and 0.75.
	At []float64
	// Org, Rates and BudgetRates are as for evaluation.
	Org         *org.Org
	Rates       kpi.Rates
	BudgetRates kpi.Rates
}

// backtestMethods are the forecast methods a backtest compares, in the
// order of its report.
var backtestMethods = []ForecastMethod{RunRateWorkdays, SeasonalShare, Probabilistic}

// Backtest replays the forecasts of every additive cumulative goal (count
// or sum) at the points req.At of each of its instances in [req.From,
// req.To) that is over by req.End, for each method (RunRateWorkdays,
// SeasonalShare and Probabilistic, in that order), and
// scores them against the final values: the mean absolute error of the
// point forecast, the Brier score of the probability of reaching the target
// and a reliability table. Each forecast sees only the events up to its
// instant. A seasonal forecast without a profile falls back to the run
// rate, as in a report; a forecast is scored only where every method gave
// one, so that the methods are compared on the same cases. A point of
// req.At outside (0, 1) and a zero req.End are errors.
func (s *Set) Backtest(ctx context.Context, tab *kpi.Table, req BacktestRequest) (*forecast.Backtest, error) {
	at := req.At
	if len(at) == 0 {
		at = []float64{0.25, 0.5, 0.75}
	}
	for _, a := range at {
		if !(a > 0 && a < 1) {
			return nil, fmt.Errorf("goal: backtest point %v must be a share of the period in (0, 1)", a)
		}
	}
	if req.End.IsZero() {
		return nil, fmt.Errorf("goal: backtest needs the instant the events reach")
	}
	out := &forecast.Backtest{From: req.From, To: req.To}
	for _, a := range at {
		// The shortest decimal that reads back as a, in percent: 0.07 is
		// 7 %, where 0.07 × 100 in floating point is 7.000000000000001.
		out.At = append(out.At, decimal.NewFromFloat(a).Shift(2).String()+"%")
	}
	type job struct {
		g *Goal
		p period.Period
		i int
	}
	byAsOf := map[time.Time][]job{}
	for _, g := range s.goals {
		if !g.additive() {
			out.Skipped = append(out.Skipped, g.def.ID+": not a cumulative count or sum")
			continue
		}
		ps, err := g.Instances(s.cal, req.From, req.To)
		if err != nil {
			return nil, fmt.Errorf("%s.period: %w", g.path, err)
		}
		for _, p := range ps {
			start, end := s.cal.Bounds(p)
			if p.Start < req.From || end.After(req.End) {
				continue
			}
			for i, a := range at {
				t := pointOf(s.cal, start, end, a)
				byAsOf[t] = append(byAsOf[t], job{g, p, i})
			}
		}
	}
	instants := make([]time.Time, 0, len(byAsOf))
	for t := range byAsOf {
		instants = append(instants, t)
	}
	slices.SortFunc(instants, func(a, b time.Time) int { return a.Compare(b) })
	methods := make([]string, len(backtestMethods))
	for m, fm := range backtestMethods {
		methods[m] = string(fm)
	}
	sc := forecast.NewScorer(methods, out.At)
	byGoal := make([]*forecast.Scorer, len(s.goals))
	for i := range byGoal {
		byGoal[i] = forecast.NewScorer(methods, out.At)
	}
	vEnd := variant{asOf: req.End}
	for _, t := range instants {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r := Request{AsOf: t, Org: req.Org, Rates: req.Rates, BudgetRates: req.BudgetRates}
		e, err := s.newEvaluator(ctx, tab, &r)
		if err != nil {
			return nil, err
		}
		e.org = req.Org
		jobs := byAsOf[t]
		insts := make([]*inst, len(jobs))
		for k, j := range jobs {
			if insts[k], err = e.instance(j.g, j.p); err != nil {
				return nil, err
			}
		}
		v := variant{asOf: t}
		pass := func(add bool) error {
			for k, in := range insts {
				for _, sj := range in.measured() {
					c, ok := e.backtestCase(in.g, sj, in.p, v, vEnd)
					if !add || !ok {
						continue
					}
					// The case has a value at every point of the scorers,
					// made for them: an error is this package's, said
					// rather than scored in part.
					if err := sc.Add(jobs[k].i, c); err != nil {
						return fmt.Errorf("goal: backtest of %s: %w", in.g.def.ID, err)
					}
					if err := byGoal[in.g.index].Add(jobs[k].i, c); err != nil {
						return fmt.Errorf("goal: backtest of %s: %w", in.g.def.ID, err)
					}
				}
			}
			return nil
		}
		if err := pass(false); err != nil {
			return nil, err
		}
		ok, err := e.fetch(ctx, tab, insts)
		if err != nil {
			return nil, err
		}
		if ok {
			if err := pass(true); err != nil {
				return nil, err
			}
		}
	}
	out.Cases, out.Methods = sc.Result()
	if out.Cases > 0 {
		out.Best = forecast.Best(out.Methods)
	}
	for i, g := range s.goals {
		if n, ms := byGoal[i].Result(); n > 0 {
			gb := forecast.GoalBacktest{Goal: g.def.ID, Cases: n, Methods: ms, Best: forecast.Best(ms)}
			out.Goals = append(out.Goals, gb)
		}
	}
	return out, nil
}

// backtestCase forecasts one row at v by every method of backtestMethods
// and measures its final value at vEnd; ok is false unless the final value
// and every method's point forecast are defined.
func (e *evaluator) backtestCase(g *Goal, sj subject, p period.Period, v, vEnd variant) (forecast.Case, bool) {
	actual, _ := e.measure(g, sj, p, v)
	target := e.targetOf(g, sj, p, v)
	final, _ := e.measure(g, sj, p, vEnd)
	var point [3]decimal.NullDecimal
	point[0], _ = Forecast(e.cal, p, v.asOf, g.measure, ForecastWorkdays, actual, nil)
	point[1], _ = Forecast(e.cal, p, v.asOf, g.measure, ForecastSeasonal, actual, e.learnProfile(g, sj, p, v))
	spec := g.chance
	if spec == nil {
		spec = &defaultChance
	}
	ch := e.chanceWith(spec, g, sj, p, v, actual, target)
	point[2] = ch.P50
	if !final.Valid || !point[0].Valid || !point[1].Valid || !point[2].Valid {
		return forecast.Case{}, false
	}
	c := forecast.Case{Final: final.Decimal, P: make([]decimal.NullDecimal, len(point))}
	for m := range point {
		c.Points = append(c.Points, point[m].Decimal)
	}
	if target.Valid {
		// A point method's probability is 1 when its forecast reaches the
		// target, else 0.
		for m := range 2 {
			c.P[m] = decimal.NewNullDecimal(decimal.Zero)
			if score.Achieve(g.dir, point[m], target).Met {
				c.P[m] = decimal.NewNullDecimal(one)
			}
		}
		c.P[2] = ch.Reach
		c.Reached = score.Achieve(g.dir, final, target).Met
	}
	return c, true
}

// pointOf is the instant of a backtest's point a in the period [start,
// end): the share a of its calendar time, a taken as the decimal it is
// written as (0.29 of 300 days is 87 days, where the product in binary
// floating point falls a nanosecond short, on the day before), moved back
// to the start of its day.
func pointOf(cal *period.Calendar, start, end time.Time, a float64) time.Time {
	off := decimal.NewFromFloat(a).Mul(decimal.NewFromInt(int64(end.Sub(start)))).Floor().IntPart()
	return cal.Midnight(cal.Date(start.Add(time.Duration(off))))
}

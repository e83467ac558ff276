package goal

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/goalkit/goalkit/internal/decimalx"
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

// BacktestMethods are the forecast methods a backtest compares, in the
// order of its report.
var BacktestMethods = []ForecastMethod{RunRateWorkdays, SeasonalShare, Probabilistic}

// Backtest is how well each forecast method did: forecasts made at points
// of past periods, scored against what really happened.
type Backtest struct {
	From date.Date `json:"from"`
	To   date.Date `json:"to"`
	// At are the points of the periods, as written ("25%").
	At []string `json:"at"`
	// Cases is how many forecasts were scored per method: goal ×
	// participant × period × point, each with a forecast of every method.
	Cases int `json:"cases"`
	// Skipped are the goals not replayed and why.
	Skipped []string `json:"skipped,omitempty"`
	// Methods score every goal's forecasts together: the mean absolute
	// error mixes the goals' units, the relative one and the Brier score
	// do not.
	Methods []MethodScore `json:"methods"`
	// Best is the method with the lowest Brier score over every goal (ties
	// by relative MAE); empty without a forecast.
	Best ForecastMethod `json:"best,omitempty"`
	// Goals score each goal's forecasts, in definition order.
	Goals []GoalBacktest `json:"goals"`
}

// GoalBacktest is the score of one goal's forecasts.
type GoalBacktest struct {
	Goal    string        `json:"goal"`
	Cases   int           `json:"cases"`
	Methods []MethodScore `json:"methods"`
	// Best is the goal's method with the lowest Brier score (ties by
	// relative MAE): the one to name in its forecast.
	Best ForecastMethod `json:"best"`
}

// MethodScore is one method's score over every point and at each.
type MethodScore struct {
	Method ForecastMethod `json:"method"`
	Score
	// ByAt is the score of the forecasts made at each point, in the order
	// of Backtest.At.
	ByAt []Score `json:"by_at"`
	// Reliability bins the forecast probabilities of reaching the target
	// by tenths and says how often the goals of each bin reached it. A
	// point method's probability is 1 when its forecast reaches the
	// target, else 0.
	Reliability []Bin `json:"reliability"`
}

// Score sums up forecasts against final values.
type Score struct {
	At        string `json:"at,omitempty"`
	Forecasts int    `json:"forecasts"`
	// MAE is the mean absolute error of the point forecast; RelativeMAE is
	// MAE over the mean absolute final value.
	MAE         decimal.Decimal `json:"mae"`
	RelativeMAE decimal.Decimal `json:"relative_mae"`
	// Judged is how many forecasts had a target; Brier is the mean squared
	// difference between the probability of reaching it and the outcome
	// (1 reached, 0 not): 0 is perfect, 0.25 is a coin toss.
	Judged int             `json:"judged"`
	Brier  decimal.Decimal `json:"brier"`

	absErr, absFinal decimal.Decimal
	sq               float64
}

// Bin is one bin of a reliability table: of the Count forecasts that gave a
// probability in [From, To) (the last bin includes 1), Reached reached the
// target; MeanP is their mean probability.
type Bin struct {
	From    decimal.Decimal `json:"from"`
	To      decimal.Decimal `json:"to"`
	Count   int             `json:"count"`
	MeanP   decimal.Decimal `json:"mean_p"`
	Reached int             `json:"reached"`

	sumP float64
}

// btCase is one replayed forecast.
type btCase struct {
	final, target decimal.NullDecimal
	dir           score.Direction
	point         [3]decimal.NullDecimal
	p             [3]decimal.NullDecimal
}

// Backtest replays the forecasts of every additive cumulative goal (count
// or sum) at the points req.At of each of its instances in [req.From,
// req.To) that is over by req.End, for every method of BacktestMethods, and
// scores them against the final values: the mean absolute error of the
// point forecast, the Brier score of the probability of reaching the target
// and a reliability table. Each forecast sees only the events up to its
// instant. A seasonal forecast without a profile falls back to the run
// rate, as in a report; a forecast is scored only where every method gave
// one, so that the methods are compared on the same cases.
func (s *Set) Backtest(ctx context.Context, tab *kpi.Table, req BacktestRequest) (*Backtest, error) {
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
	out := &Backtest{From: req.From, To: req.To}
	for _, a := range at {
		out.At = append(out.At, strconv.FormatFloat(a*100, 'f', -1, 64)+"%")
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
				t := s.cal.Midnight(s.cal.Date(start.Add(time.Duration(a * float64(end.Sub(start))))))
				byAsOf[t] = append(byAsOf[t], job{g, p, i})
			}
		}
	}
	instants := make([]time.Time, 0, len(byAsOf))
	for t := range byAsOf {
		instants = append(instants, t)
	}
	slices.SortFunc(instants, func(a, b time.Time) int { return a.Compare(b) })
	sc := newScorer(len(at))
	byGoal := make([]*scorer, len(s.goals))
	for i := range byGoal {
		byGoal[i] = newScorer(len(at))
	}
	vEnd := variant{asOf: req.End}
	for _, t := range instants {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r := Request{AsOf: t, Org: req.Org, Rates: req.Rates, BudgetRates: req.BudgetRates}
		e, err := s.newEvaluator(ctx, &r)
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
		pass := func(add bool) {
			for k, in := range insts {
				for _, sj := range in.measured() {
					c := e.backtestCase(in.g, sj, in.p, v, vEnd)
					if add {
						sc.add(jobs[k].i, c)
						byGoal[in.g.index].add(jobs[k].i, c)
					}
				}
			}
		}
		pass(false)
		ok, err := e.fetch(ctx, tab, insts)
		if err != nil {
			return nil, err
		}
		if ok {
			pass(true)
		}
	}
	out.Cases, out.Methods = sc.result(out.At)
	if out.Cases > 0 {
		out.Best = best(out.Methods)
	}
	for i, g := range s.goals {
		if byGoal[i].cases > 0 {
			gb := GoalBacktest{Goal: g.def.ID}
			gb.Cases, gb.Methods = byGoal[i].result(out.At)
			gb.Best = best(gb.Methods)
			out.Goals = append(out.Goals, gb)
		}
	}
	return out, nil
}

// backtestCase forecasts one row at v by every method and measures its
// final value at vEnd.
func (e *evaluator) backtestCase(g *Goal, sj subject, p period.Period, v, vEnd variant) btCase {
	actual, _ := e.measure(g, sj, p, v)
	c := btCase{dir: g.dir, target: e.targetOf(g, sj, p, v)}
	c.final, _ = e.measure(g, sj, p, vEnd)
	c.point[0], _ = Forecast(e.cal, p, v.asOf, g.measure, ForecastWorkdays, actual, nil)
	c.point[1], _ = Forecast(e.cal, p, v.asOf, g.measure, ForecastSeasonal, actual, e.learnProfile(g, sj, p, v))
	spec := g.chance
	if spec == nil {
		spec = &defaultChance
	}
	ch := e.chanceWith(spec, g, sj, p, v, actual, c.target)
	c.point[2], c.p[2] = ch.P50, ch.Reach
	if c.target.Valid {
		for m := range 2 {
			if c.point[m].Valid {
				c.p[m] = decimal.NewNullDecimal(decimal.Zero)
				if score.Achieve(g.dir, c.point[m], c.target).Met {
					c.p[m] = decimal.NewNullDecimal(one)
				}
			}
		}
	}
	return c
}

type scorer struct {
	byAt  [][3]Score
	all   [3]Score
	bins  [3][10]Bin
	cases int
}

func newScorer(points int) *scorer {
	return &scorer{byAt: make([][3]Score, points)}
}

func (sc *scorer) add(i int, c btCase) {
	if !c.final.Valid || !c.point[0].Valid || !c.point[1].Valid || !c.point[2].Valid {
		return
	}
	sc.cases++
	reached := c.target.Valid && score.Achieve(c.dir, c.final, c.target).Met
	for m := range 3 {
		for _, s := range []*Score{&sc.byAt[i][m], &sc.all[m]} {
			s.Forecasts++
			s.absErr = s.absErr.Add(c.point[m].Decimal.Sub(c.final.Decimal).Abs())
			s.absFinal = s.absFinal.Add(c.final.Decimal.Abs())
			if c.target.Valid && c.p[m].Valid {
				s.Judged++
				p := c.p[m].Decimal.InexactFloat64()
				o := 0.0
				if reached {
					o = 1
				}
				s.sq += (p - o) * (p - o)
			}
		}
		if c.target.Valid && c.p[m].Valid {
			p := c.p[m].Decimal.InexactFloat64()
			k := min(int(math.Floor(p*10)), 9)
			b := &sc.bins[m][k]
			b.Count++
			b.sumP += p
			if reached {
				b.Reached++
			}
		}
	}
}

func (s *Score) finish() {
	if s.Forecasts > 0 {
		s.MAE, _ = decimalx.Div(s.absErr, decimal.NewFromInt(int64(s.Forecasts)))
		s.MAE = s.MAE.Round(2)
		if s.absFinal.Sign() > 0 {
			s.RelativeMAE, _ = decimalx.Div(s.absErr, s.absFinal)
			s.RelativeMAE = s.RelativeMAE.Round(4)
		}
	}
	if s.Judged > 0 {
		s.Brier = decimal.NewFromFloat(s.sq / float64(s.Judged)).Round(4)
	}
}

func (sc *scorer) result(at []string) (int, []MethodScore) {
	var out []MethodScore
	for m, method := range BacktestMethods {
		ms := MethodScore{Method: method, Score: sc.all[m]}
		ms.finish()
		for i := range sc.byAt {
			s := sc.byAt[i][m]
			s.At = at[i]
			s.finish()
			ms.ByAt = append(ms.ByAt, s)
		}
		for k := range 10 {
			b := sc.bins[m][k]
			b.From, b.To = decimal.New(int64(k), -1), decimal.New(int64(k+1), -1)
			if b.Count > 0 {
				b.MeanP = decimal.NewFromFloat(b.sumP / float64(b.Count)).Round(3)
			}
			ms.Reliability = append(ms.Reliability, b)
		}
		out = append(out, ms)
	}
	return sc.cases, out
}

// best is the method with the lowest Brier score, ties by relative MAE,
// then by the order of BacktestMethods.
func best(ms []MethodScore) ForecastMethod {
	b := 0
	for i, m := range ms {
		if c := m.Brier.Cmp(ms[b].Brier); c < 0 || (c == 0 && m.RelativeMAE.Cmp(ms[b].RelativeMAE) < 0) {
			b = i
		}
	}
	return ms[b].Method
}

package forecast

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Backtest is how well each forecast method did: forecasts made at points
// of past periods, scored against what really happened. Package goal makes
// it (goal.Set.Backtest); a method is named by its goal.ForecastMethod.
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
	Best string `json:"best,omitempty"`
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
	Best string `json:"best"`
}

// MethodScore is one method's score over every point and at each.
type MethodScore struct {
	Method string `json:"method"`
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
	// MAE is the mean absolute error of the point forecast, undefined
	// (null in JSON) without a forecast: the mean of nothing is no score,
	// where 0 would read as a perfect one. RelativeMAE is MAE over the
	// mean absolute final value, undefined where every final value is 0:
	// no error is small or large beside nothing.
	MAE         decimal.NullDecimal `json:"mae"`
	RelativeMAE decimal.NullDecimal `json:"relative_mae"`
	// Judged is how many forecasts had a target; Brier is the mean squared
	// difference between the probability of reaching it and the outcome
	// (1 reached, 0 not): 0 is perfect, 0.25 is a coin toss. It is
	// undefined (null in JSON) where none was judged.
	Judged int                 `json:"judged"`
	Brier  decimal.NullDecimal `json:"brier"`

	absErr, absFinal decimal.Decimal
	sq               decimal.Decimal // Σ (p − o)², exact
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

	sumP decimal.Decimal // Σ p, exact
}

// Case is one replayed forecast: what every method of a Scorer forecast at
// one point of a period, and the period's final value.
type Case struct {
	Final decimal.Decimal
	// Points are the methods' point forecasts, in the Scorer's order.
	Points []decimal.Decimal
	// P are the methods' probabilities of reaching the target, in the
	// Scorer's order: undefined where a method gave none or the period had
	// no target. Reached says whether Final reached the target.
	P       []decimal.NullDecimal
	Reached bool
}

// Scorer scores the cases of a backtest per method, over every point and
// at each: the mean absolute error of the point forecasts, the Brier score
// of the probabilities and their reliability in tenths.
type Scorer struct {
	methods []string
	at      []string
	byAt    [][]Score // per point, per method
	all     []Score
	bins    [][10]Bin
	cases   int
	// bad refuses every case: NewScorer's methods or points repeat a
	// name.
	bad error
}

// NewScorer returns a scorer of the methods, named as they are to be
// reported, at the points at, as written ("25%"). It keeps copies of both:
// the caller may change its slices. A method or a point named twice would
// report two scores under one name, which no reader could tell apart: the
// scorer refuses every case (Add's error names the repeated name) and its
// Result holds no case.
func NewScorer(methods, at []string) *Scorer {
	methods, at = slices.Clone(methods), slices.Clone(at)
	sc := &Scorer{methods: methods, at: at, byAt: make([][]Score, len(at)), all: make([]Score, len(methods)), bins: make([][10]Bin, len(methods))}
	for i := range sc.byAt {
		sc.byAt[i] = make([]Score, len(methods))
	}
	if name, ok := repeated(methods); ok {
		sc.bad = fmt.Errorf("forecast: the scorer's methods name %q twice (%s)", name, strings.Join(methods, ", "))
	} else if name, ok := repeated(at); ok {
		sc.bad = fmt.Errorf("forecast: the scorer's points name %q twice (%s)", name, strings.Join(at, ", "))
	}
	return sc
}

// repeated returns the first name of names that an earlier one repeats.
func repeated(names []string) (string, bool) {
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		if seen[n] {
			return n, true
		}
		seen[n] = true
	}
	return "", false
}

// Add scores the case c, made at the point of index i; c holds a point
// forecast and a probability for every method. A probability outside
// [0, 1] counts as the nearer end of it. A case with fewer point forecasts
// or probabilities than the scorer has methods, or made at no point of the
// scorer, is refused, naming it by its number (the cases added before it,
// plus one) and its point, and nothing of it is scored; so is a case with
// a number (its final value, a point forecast or a probability) whose
// exponent is past what a file's reader takes (±MaxDecodeExponent of the
// decimal library, 10000 unless a host changes it), naming the method and
// the number, and any case of a nil Scorer, or of a scorer whose methods or
// points repeat a name (NewScorer). A zero Scorer has no methods and no
// points.
func (sc *Scorer) Add(i int, c Case) error {
	if sc == nil {
		return errors.New("forecast: a nil Scorer scores no case: make it with NewScorer")
	}
	if sc.bad != nil {
		return sc.bad
	}
	n := sc.cases + 1
	if i < 0 || i >= len(sc.at) {
		return fmt.Errorf("forecast: case %d: point %d is not one of the scorer's %d points", n, i, len(sc.at))
	}
	if len(c.Points) < len(sc.methods) || len(c.P) < len(sc.methods) {
		return fmt.Errorf("forecast: case %d at %s: %d point forecasts and %d probabilities for %d methods (%s)",
			n, sc.at[i], len(c.Points), len(c.P), len(sc.methods), strings.Join(sc.methods, ", "))
	}
	// A number such as 1E-2000000000 was brought to the exponent of
	// another (a comparison with 1, a sum) in a big integer of two billion
	// digits: the case took hours. Nothing is scored before every number
	// of the case is known to be in range.
	if !expInRange(c.Final) {
		return fmt.Errorf("forecast: case %d at %s: the final value's exponent %d is out of range: at most ±%d",
			n, sc.at[i], c.Final.Exponent(), decimal.MaxDecodeExponent)
	}
	for m, name := range sc.methods {
		if !expInRange(c.Points[m]) {
			return fmt.Errorf("forecast: case %d at %s: method %s: the point forecast's exponent %d is out of range: at most ±%d",
				n, sc.at[i], name, c.Points[m].Exponent(), decimal.MaxDecodeExponent)
		}
		if c.P[m].Valid && !expInRange(c.P[m].Decimal) {
			return fmt.Errorf("forecast: case %d at %s: method %s: the probability's exponent %d is out of range: at most ±%d",
				n, sc.at[i], name, c.P[m].Decimal.Exponent(), decimal.MaxDecodeExponent)
		}
	}
	sc.cases++
	for m := range sc.methods {
		// c.P is the caller's: the probability is clamped in a copy. A
		// negative one was binned at index -1, which panicked.
		pm := c.P[m]
		if pm.Valid {
			pm.Decimal = decimal.Max(decimal.Zero, decimal.Min(pm.Decimal, one))
		}
		for _, s := range []*Score{&sc.byAt[i][m], &sc.all[m]} {
			s.Forecasts++
			s.absErr = s.absErr.Add(c.Points[m].Sub(c.Final).Abs())
			s.absFinal = s.absFinal.Add(c.Final.Abs())
			if pm.Valid {
				s.Judged++
				d := pm.Decimal
				if c.Reached {
					d = d.Sub(one)
				}
				s.sq = s.sq.Add(d.Mul(d))
			}
		}
		if pm.Valid {
			p := pm.Decimal
			k := min(int(p.Shift(1).Floor().IntPart()), 9)
			b := &sc.bins[m][k]
			b.Count++
			b.sumP = b.sumP.Add(p)
			if c.Reached {
				b.Reached++
			}
		}
	}
	return nil
}

// expInRange reports whether d's exponent is within what a file's reader
// of decimals takes (±MaxDecodeExponent).
func expInRange(d decimal.Decimal) bool {
	x, limit := int64(d.Exponent()), int64(decimal.MaxDecodeExponent)
	return x <= limit && x >= -limit
}

func (s *Score) finish() {
	// Each is rounded once from the exact quotient, half away from zero (a
	// quotient first cut to 16 digits could round the other way).
	if s.Forecasts > 0 {
		s.MAE = decimal.NewNullDecimal(s.absErr.DivRound(decimal.NewFromInt(int64(s.Forecasts)), 2))
		if s.absFinal.Sign() > 0 {
			s.RelativeMAE = decimal.NewNullDecimal(s.absErr.DivRound(s.absFinal, 4))
		}
	}
	if s.Judged > 0 {
		// Rounded once from the exact mean, half away from zero.
		s.Brier = decimal.NewNullDecimal(s.sq.DivRound(decimal.NewFromInt(int64(s.Judged)), 4))
	}
}

// nullCmp orders scores (a Brier score, a relative error), an undefined
// one after every defined one.
func nullCmp(a, b decimal.NullDecimal) int {
	if a.Valid != b.Valid {
		if a.Valid {
			return -1
		}
		return 1
	}
	return a.Decimal.Cmp(b.Decimal)
}

// Result returns how many cases were scored and each method's score; none
// for a nil Scorer.
func (sc *Scorer) Result() (int, []MethodScore) {
	var out []MethodScore
	if sc == nil {
		return 0, nil
	}
	for m, method := range sc.methods {
		ms := MethodScore{Method: method, Score: sc.all[m]}
		ms.finish()
		for i := range sc.byAt {
			s := sc.byAt[i][m]
			s.At = sc.at[i]
			s.finish()
			ms.ByAt = append(ms.ByAt, s)
		}
		for k := range 10 {
			b := sc.bins[m][k]
			b.From, b.To = decimal.New(int64(k), -1), decimal.New(int64(k+1), -1)
			if b.Count > 0 {
				b.MeanP = b.sumP.DivRound(decimal.NewFromInt(int64(b.Count)), 3)
			}
			ms.Reliability = append(ms.Reliability, b)
		}
		out = append(out, ms)
	}
	return sc.cases, out
}

// Best is the method with the lowest Brier score, ties by relative MAE,
// then by the order of ms; "" when ms is empty. A method without a Brier
// score (judged on no forecast) comes after every method with one.
func Best(ms []MethodScore) string {
	if len(ms) == 0 {
		return ""
	}
	b := 0
	for i, m := range ms {
		c := cmp.Or(nullCmp(m.Brier, ms[b].Brier), nullCmp(m.RelativeMAE, ms[b].RelativeMAE))
		if c < 0 {
			b = i
		}
	}
	return ms[b].Method
}

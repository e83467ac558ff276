package kpi

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/defcheck"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/shopspring/decimal"
)

// Aggregate is how an indicator combines the values of its events. Its
// constants are the names plan files use.
type Aggregate string

// The aggregates. Count counts events; the others skip events whose value is
// undefined, as SQL aggregates skip NULL.
const (
	Count    Aggregate = "count"
	Sum      Aggregate = "sum"
	Avg      Aggregate = "avg"
	Min      Aggregate = "min"
	Max      Aggregate = "max"
	Distinct Aggregate = "distinct"
	// Median is the 50th percentile (Percentile with P = 0.5).
	Median Aggregate = "median"
	// Percentile is the P-th percentile of the values (0 ≤ P ≤ 1),
	// interpolated as PostgreSQL's percentile_cont: the value at position
	// P·(n−1) of the sorted values, linear between its two neighbours. It
	// is exact on decimals; of no values it is undefined.
	Percentile Aggregate = "percentile"
)

var aggregates = []Aggregate{Count, Sum, Avg, Min, Max, Distinct, Median, Percentile}

// aggregateList is the aggregates for messages.
const aggregateList = "count, sum, avg, min, max, distinct, median, percentile"

// Unit is what an indicator's values measure. It changes no value; the
// table writer shows money in its currency and UnitPercent, a number in
// percent (50 is half), with a "%".
type Unit string

// The units.
const (
	UnitCount    Unit = "count"
	UnitMoney    Unit = "money"
	UnitPercent  Unit = "percent"
	UnitDuration Unit = "duration"
	UnitNumber   Unit = "number"
)

// RatePolicy says which exchange rate converts an amount into an indicator's
// currency.
type RatePolicy string

// The rate policies.
const (
	RateEventDate RatePolicy = "event_date" // the rate on the event's local date (default)
	RatePeriodEnd RatePolicy = "period_end" // the rate on the last day of the period
	RateBudget    RatePolicy = "budget"     // the plan's fixed budget rates
)

// IndicatorDef defines an indicator: either an aggregate over events (Kinds,
// Where, Aggregate, Value) or a Formula over other indicators of the same
// participant and period.
type IndicatorDef struct {
	ID          string `json:"id"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	// Kinds are the event kinds aggregated (required without Formula).
	Kinds []string `json:"kinds,omitempty"`
	// Where is a filter formula over each event; "": every event of Kinds.
	Where string `json:"where,omitempty"`
	// Aggregate is required without Formula; a formula has none.
	Aggregate Aggregate `json:"aggregate,omitempty"`
	// Value is the formula of each event's value (amount, an attribute):
	// required by every aggregate but Count, which refuses it.
	Value   string `json:"value,omitempty"`
	Formula string `json:"formula,omitempty"`
	// Unit is what the values measure; "": count for Count and Distinct,
	// money with a Currency or a Value of amount, else number.
	Unit Unit `json:"unit,omitempty"`
	// Currency, for money indicators, converts every amount into this ISO
	// 4217 currency through the host's rates, by Rate. On a formula
	// indicator, which has no amounts, it says which currency its values
	// are in (for the table writer's rounding).
	Currency string `json:"currency,omitempty"`
	// Rate is the policy of Currency's conversion; "": RateEventDate.
	Rate RatePolicy `json:"rate,omitempty"`
	// P is the percentile of aggregate percentile, from 0 to 1 (0.9: the
	// 90th percentile). Required there, refused elsewhere.
	P *decimal.Decimal `json:"p,omitempty"`
	// By breaks the indicator down by event attributes (declared in the
	// plan's attributes, at most 4): besides its value for each
	// participant and period, which stays as it is, the result holds a row
	// for each combination of the attributes' values that the participant's
	// counted events of the period carry (Result.Rows, Row.By). A formula is
	// broken down with what it reads: a ratio of a row is the ratio of the
	// row's components.
	By []string `json:"by,omitempty"`
	// ToDate makes the aggregate cumulative within a grain (year, quarter,
	// month, week, fiscal_year or fiscal_quarter): its value in a
	// period counts the events from the start of the grain's period that
	// holds the period's last day (year: year to date) to the period's end.
	ToDate string `json:"to_date,omitempty"`
	// Window makes the aggregate cumulative over a trailing window ending
	// with each period: "7 days", "2 weeks", "3 months", "1 quarter",
	// "1 year", or "all" (every event since the first).
	Window string `json:"window,omitempty"`
	// Cohort makes the indicator a cohort conversion (see CohortDef): its
	// events count in the period of an earlier event of the same entity.
	// Its Where and Value may read cohort_time, that event's instant.
	Cohort *CohortDef `json:"cohort,omitempty"`
	// Top, with By, keeps the Top rows of each participant and period with
	// the largest values, and adds one "other" row computed from the events
	// of every other combination (0: every row).
	Top int `json:"top,omitempty"`
}

// Indicator is a compiled indicator.
type Indicator struct {
	Def       IndicatorDef
	Aggregate Aggregate // "" for a formula indicator
	where     *formula.Program
	value     *formula.Program
	formula   *formula.Program
	deps      []formula.Ref // formula indicators: what they read
	order     int           // evaluation order among formula indicators
	index     int
	// p is the percentile of Median (0.5) and Percentile.
	p decimal.Decimal
	// window, for a cumulative aggregate (ToDate, Window), is where its
	// events may lie before the period.
	window *window
	// cohort, for a cohort conversion, is what makes its cohort.
	cohort *cohort
	// running: the formula reads its own earlier values through prev()
	// (won_to_date = coalesce(prev(won_to_date), 0) + won), so its chain
	// starts in the first reported period: before it, it is undefined.
	running bool
}

// ID returns the indicator's id.
func (ix *Indicator) ID() string { return ix.Def.ID }

// IsFormula reports whether the indicator is a formula over other indicators.
func (ix *Indicator) IsFormula() bool { return ix.formula != nil }

// Unit returns the indicator's unit.
func (ix *Indicator) Unit() Unit { return ix.Def.Unit }

var currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)

// reserved are names an indicator id may not take: they mean something else in
// formulas.
var reserved = []string{"cohort_time", "prev", "days", "workdays", "elapsed", "defined", "coalesce", "min", "max", "abs", "round", "floor", "ceil", "clamp", "sum", "avg", "count", "true", "false", "nil", "in", "not", "and", "or", "if"}

// Set is a compiled, immutable set of indicators, safe for concurrent use.
type Set struct {
	breakdowns []*breakdown
	list       []*Indicator
	byID       map[string]*Indicator
	formulas   []*Indicator // in dependency order
	attrs      map[string]AttrType
	maxBack    int // the deepest prev() of any formula, transitively (twice that of a ranked breakdown's)
	// spare holds arrays of finished evaluations for the next ones
	// (*spareArrays): scratch, never part of a result.
	spare sync.Pool
}

// Env is what Compile compiles indicators against.
type Env struct {
	// Attributes types the event attributes that filters and values read.
	Attributes map[string]AttrType
	// Calendar is the plan's calendar: the time helpers of filters and
	// values (hour, weekday, days_between…) read times in its zone, and
	// workdays_between counts its working days. Nil: UTC, Monday to Friday.
	Calendar *period.Calendar
	// Path prefixes problem paths; default "indicators".
	Path string
}

// formulaType maps an attribute type to the formula type of its values.
func formulaType(t AttrType) formula.Type {
	switch t {
	case AttrInt, AttrDecimal:
		return formula.TypeNumber
	case AttrBool:
		return formula.TypeBool
	case AttrTime:
		return formula.TypeTime
	}
	return formula.TypeString
}

// readsWorkdays reports whether the indicator's formula calls workdays().
func (ix *Indicator) readsWorkdays() bool {
	return slices.ContainsFunc(ix.deps, func(r formula.Ref) bool { return r.Func && r.Name == "workdays" })
}

// steady reports whether the set's values from a tracker's aggregates
// depend on nothing but them: no cumulative or broken-down indicator (read
// from the events at each read), and no formula that reads elapsed() (the
// instant of the read).
func (s *Set) steady() bool {
	return !s.cumulative() && len(s.breakdowns) == 0 && !slices.ContainsFunc(s.formulas, func(ix *Indicator) bool {
		return slices.ContainsFunc(ix.deps, func(r formula.Ref) bool { return r.Func && r.Name == "elapsed" })
	})
}

// EventEnv is the formula environment of filters and values over events
// with the options' attributes: formula.EventEnv with each attribute's type,
// in the options' calendar.
func (o Env) EventEnv() *formula.Env {
	m := make(map[string]formula.Type, len(o.Attributes))
	for n, t := range o.Attributes {
		m[n] = formulaType(t)
	}
	return formula.EventEnv(m).WithCalendar(o.Calendar)
}

// Compile validates the definitions and compiles every formula. It
// reports every problem at once, sorted by path. A number whose exponent
// is past ±10000 (a percentile's p), which a plan file cannot write (an
// IndicatorDef built in Go can), is refused first, alone, at its path:
// checking a p of 10^1000000000 against 1 computed for good.
func Compile(defs []IndicatorDef, env Env) (*Set, error) {
	root := env.Path
	if root == "" {
		root = "indicators"
	}
	var ps problem.List
	if !defcheck.Exponents(&ps, root, defs) {
		return nil, ps.Err()
	}
	s := &Set{byID: map[string]*Indicator{}, attrs: env.Attributes}
	evEnv := env.EventEnv()
	// A cohort indicator's filter and value may read cohort_time too.
	cohortEnv := env
	cohortEnv.Attributes = map[string]AttrType{"cohort_time": AttrTime}
	for n, t := range env.Attributes {
		cohortEnv.Attributes[n] = t
	}
	coEnv := cohortEnv.EventEnv()
	var ids []string
	for _, d := range defs {
		ids = append(ids, d.ID)
	}
	indEnv := formula.IndicatorEnv(ids...)
	for i, d := range defs {
		path := fmt.Sprintf("%s[%d]", root, i)
		ix := &Indicator{Def: d, index: i}
		switch {
		case d.ID == "":
			ps.Add(path+".id", problem.Required, "id is required")
		case !defcheck.ValidID(d.ID):
			ps.Add(path+".id", problem.Invalid, fmt.Sprintf("id %q must match [a-z][a-z0-9_]*", d.ID))
		case slices.Contains(reserved, d.ID):
			ps.Add(path+".id", problem.Invalid, fmt.Sprintf("id %q is reserved in formulas", d.ID))
		case s.byID[d.ID] != nil:
			ps.Add(path+".id", problem.Duplicate, fmt.Sprintf("id %q is already defined at %s[%d]", d.ID, root, s.byID[d.ID].index))
		default:
			s.byID[d.ID] = ix
		}
		if d.Formula != "" {
			for _, f := range []struct{ name, v string }{{"kinds", strings.Join(d.Kinds, ",")}, {"where", d.Where}, {"aggregate", string(d.Aggregate)}, {"value", d.Value}} {
				if f.v != "" {
					ps.Add(path+"."+f.name, problem.Conflict, f.name+" does not apply to a formula indicator")
				}
			}
			p, err := formula.Compile(d.Formula, indEnv, formula.TypeNumber)
			if err != nil {
				ps.AddErr(path+".formula", problem.Formula, err)
			} else {
				ix.formula = p
				ix.deps = p.Refs()
			}
		} else if d.Cohort != nil {
			ix.compileEvents(path, coEnv, &ps)
		} else {
			ix.compileEvents(path, evEnv, &ps)
		}
		if d.Unit != "" && !slices.Contains([]Unit{UnitCount, UnitMoney, UnitPercent, UnitDuration, UnitNumber}, d.Unit) {
			ps.Add(path+".unit", problem.Invalid, fmt.Sprintf("unknown unit %q (want one of count, money, percent, duration, number)", d.Unit))
		}
		if d.Currency != "" && !currencyPattern.MatchString(d.Currency) {
			ps.Add(path+".currency", problem.Invalid, fmt.Sprintf("currency %q is not an ISO 4217 code", d.Currency))
		}
		switch d.Rate {
		case "", RateEventDate, RatePeriodEnd, RateBudget:
			if d.Rate != "" && d.Currency == "" {
				ps.Add(path+".rate", problem.Conflict, "rate needs a currency to convert into")
			}
		default:
			ps.Add(path+".rate", problem.Invalid, fmt.Sprintf("unknown rate policy %q (want event_date, period_end or budget)", d.Rate))
		}
		compileBy(path, d, env.Attributes, &ps)
		ix.compileWindow(path, &ps)
		ix.compileCohort(path, env.Attributes, &ps)
		if ix.Def.Unit == "" {
			ix.Def.Unit = defaultUnit(ix)
		}
		s.list = append(s.list, ix)
	}
	if ps.Len() == 0 {
		s.order(root, &ps)
	}
	if ps.Len() == 0 {
		s.planBreakdowns(root, &ps)
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

func defaultUnit(ix *Indicator) Unit {
	switch {
	case ix.Aggregate == Count || ix.Aggregate == Distinct:
		return UnitCount
	case ix.Def.Currency != "" || strings.TrimSpace(ix.Def.Value) == "amount":
		return UnitMoney
	}
	return UnitNumber
}

// kindProblem says what makes k, an event kind a definition names, a kind
// no event has: none, or not an identifier (Event.Validate refuses such a
// kind, so that an indicator of it would count nothing without a word).
func kindProblem(k string) string {
	if k == "" {
		return "kind is empty"
	}
	if bad := display.IDProblem(k); bad != "" {
		return fmt.Sprintf("kind %q %s: no event has such a kind", k, bad)
	}
	return ""
}

func (ix *Indicator) compileEvents(path string, env *formula.Env, ps *problem.List) {
	d := ix.Def
	if len(d.Kinds) == 0 {
		ps.Add(path+".kinds", problem.Required, "kinds is required (or a formula)")
	}
	for j, k := range d.Kinds {
		if bad := kindProblem(k); bad != "" {
			ps.Add(fmt.Sprintf("%s.kinds[%d]", path, j), problem.Invalid, bad)
		} else if slices.Index(d.Kinds, k) != j {
			ps.Add(fmt.Sprintf("%s.kinds[%d]", path, j), problem.Duplicate, fmt.Sprintf("kind %q is listed twice", k))
		}
	}
	if d.Aggregate == "" {
		ps.Add(path+".aggregate", problem.Required, "aggregate is required (one of "+aggregateList+")")
	} else if !slices.Contains(aggregates, d.Aggregate) {
		ps.Add(path+".aggregate", problem.Invalid, fmt.Sprintf("unknown aggregate %q (want one of %s)", d.Aggregate, aggregateList))
	} else {
		ix.Aggregate = d.Aggregate
	}
	ix.compilePercentile(path, ps)
	if d.Where != "" {
		p, err := formula.Compile(d.Where, env, formula.TypeBool)
		if err != nil {
			ps.AddErr(path+".where", problem.Formula, err)
		}
		ix.where = p
	}
	switch {
	case d.Value != "":
		want := formula.TypeNumber
		if ix.Aggregate == Distinct {
			want = formula.TypeAny
		}
		p, err := formula.Compile(d.Value, env, want)
		if err != nil {
			ps.AddErr(path+".value", problem.Formula, err)
		}
		ix.value = p
	case ix.Aggregate != "" && ix.Aggregate != Count:
		ps.Add(path+".value", problem.Required, fmt.Sprintf("value is required for aggregate %s", ix.Aggregate))
	}
	// A count counts the events: a value or a currency given it would be
	// ignored without a word (SQL's COUNT(x) counts the rows where x has a
	// value; here that is a where).
	if ix.Aggregate == Count {
		if d.Value != "" {
			ps.Add(path+".value", problem.Conflict, "value does not apply to aggregate count, which counts events: to count those with a value, filter them (where: defined(x))")
		}
		if d.Currency != "" {
			ps.Add(path+".currency", problem.Conflict, "currency does not apply to aggregate count, which counts events, not amounts")
		}
	}
}

// compilePercentile checks P: required by percentile, in [0, 1], and
// refused by every other aggregate.
func (ix *Indicator) compilePercentile(path string, ps *problem.List) {
	d := ix.Def
	switch {
	case d.Aggregate == Median:
		ix.p = decimal.New(5, -1)
		if d.P != nil {
			ps.Add(path+".p", problem.Conflict, "p does not apply to median (it is the 0.5 percentile): use aggregate percentile")
		}
	case d.Aggregate == Percentile && d.P == nil:
		ps.Add(path+".p", problem.Required, "p is required for aggregate percentile (0.9: the 90th percentile)")
	case d.Aggregate == Percentile:
		if d.P.Sign() < 0 || d.P.Cmp(decimal.NewFromInt(1)) > 0 {
			ps.Add(path+".p", problem.Invalid, fmt.Sprintf("p %s is not between 0 and 1 (0.9: the 90th percentile)", d.P))
		}
		ix.p = *d.P
	case d.P != nil:
		ps.Add(path+".p", problem.Conflict, "p applies to aggregate percentile only")
	}
}

// isPercentile reports whether the aggregate keeps every value: median and
// percentile.
func (a Aggregate) isPercentile() bool { return a == Median || a == Percentile }

// order sorts the formula indicators so every one comes after what it reads,
// and reports cycles with their path.
func (s *Set) order(root string, ps *problem.List) {
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	back := map[string]int{} // the deepest prev() reachable from an indicator
	var stack []string
	var visit func(ix *Indicator) bool
	visit = func(ix *Indicator) bool {
		switch state[ix.Def.ID] {
		case done:
			return true
		case active:
			i := slices.Index(stack, ix.Def.ID)
			cyc := append(slices.Clone(stack[i:]), ix.Def.ID)
			ps.Add(fmt.Sprintf("%s[%d].formula", root, ix.index), problem.Cycle, "formula depends on itself: "+strings.Join(cyc, " -> "))
			return false
		}
		state[ix.Def.ID] = active
		stack = append(stack, ix.Def.ID)
		deepest := 0
		for _, r := range ix.deps {
			if r.Func {
				continue
			}
			dep := s.byID[r.Name]
			if dep == nil {
				continue // the formula compiler already rejected unknown names
			}
			if r.Back == 0 && !visit(dep) {
				return false
			}
			if r.Back > 0 && dep.IsFormula() && state[dep.Def.ID] == active {
				// A cycle through prev(): every formula on it is a running one.
				for _, id := range stack[slices.Index(stack, dep.Def.ID):] {
					s.byID[id].running = true
				}
			}
			if r.Back > 0 && dep.IsFormula() && state[dep.Def.ID] == unseen {
				if !visit(dep) {
					return false
				}
			}
			deepest = max(deepest, r.Back+back[dep.Def.ID])
		}
		back[ix.Def.ID] = deepest
		stack = stack[:len(stack)-1]
		state[ix.Def.ID] = done
		if ix.IsFormula() {
			ix.order = len(s.formulas)
			s.formulas = append(s.formulas, ix)
		}
		return true
	}
	for _, ix := range s.list {
		if !visit(ix) {
			return
		}
	}
	for _, b := range back {
		s.maxBack = max(s.maxBack, b)
	}
	// The "other" row of a breakdown with a top reads, through prev(), the
	// rows left out of an earlier period's own top, ranked by that period's
	// values, which reach as far back again.
	for _, ix := range s.list {
		if ix.Def.Top > 0 && len(ix.Def.By) > 0 {
			s.maxBack = max(s.maxBack, 2*back[ix.Def.ID])
		}
	}
}

// Indicators returns the indicators in definition order.
func (s *Set) Indicators() []*Indicator { return s.list }

// Lookup returns the indicator with the given id.
func (s *Set) Lookup(id string) (*Indicator, bool) {
	ix, ok := s.byID[id]
	return ix, ok
}

// Lookback is how many periods before the first reported one a formula's
// prev() reaches (twice as far for an indicator broken down with a top
// that reads prev(): the "other" row of an earlier period is ranked by
// that period's own values).
func (s *Set) Lookback() int { return s.maxBack }

// Kinds returns every event kind the set reads, sorted.
func (s *Set) Kinds() []string {
	var ks []string
	for _, ix := range s.list {
		ks = append(ks, ix.Def.Kinds...)
	}
	ks = append(ks, s.cohortKinds()...)
	slices.Sort(ks)
	return slices.Compact(ks)
}

package goalkit

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/defcheck"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/goalkit/goalkit/score"
)

// Plan is a compiled, validated Definition. It is immutable and safe for
// concurrent use.
type Plan struct {
	def        Definition
	cal        *period.Calendar
	indicators *kpi.Set
	periods    []period.Period
	budget     kpi.FixedRates
	scoring    *score.Scoring
	goals      *goal.Set
	cascades   *cascade.Set
}

// builtinNames are event fields; attributes may not take their names.
var builtinNames = []string{"id", "kind", "time", "actor", "amount", "currency"}

// cohortTime is the name by which a cohort indicator's value and filter
// read the cohort's instant; an attribute of that name could never be read
// there.
const cohortTime = "cohort_time"

// Compile validates a definition and compiles every formula in it. It
// reports every problem at once, sorted by path, as a *CompileError; when
// the definition was read from a file, each message starts with FILE:LINE.
// A number of the definition whose exponent is past ±10000, which a plan
// file cannot write (a Definition built in Go can), is refused first, alone.
func Compile(def *Definition) (*Plan, error) { return compile(def, false) }

// compile compiles def; linting leaves out the goal problems the SMART lint
// reports itself (Lint).
func compile(def *Definition, linting bool) (*Plan, error) {
	var ps problem.List
	// The plan keeps parts of its definition: a copy of its own, which
	// the caller's later changes do not reach.
	p := &Plan{def: cloneDefinition(*def)}
	def = &p.def
	// A number too large to compute with is refused before anything
	// computes with it (a goal's target, a cascade's split, a curve).
	if !defcheck.Exponents(&ps, "", def) {
		return nil, def.locate(ps.Err())
	}
	p.cal = def.loadCalendar(&ps)
	names := make([]string, 0, len(def.Attributes))
	for n := range def.Attributes {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		switch {
		case slices.Contains(builtinNames, n):
			ps.Add("attributes."+n, problem.Invalid, fmt.Sprintf("attribute %q has the name of an event field", n))
		case n == cohortTime:
			ps.Add("attributes."+n, problem.Invalid, fmt.Sprintf("attribute %q has the name a cohort indicator's formulas read as the cohort's instant", n))
		case !defcheck.ValidID(n):
			ps.Add("attributes."+n, problem.Invalid, fmt.Sprintf("attribute name %q must match [a-z][a-z0-9_]*", n))
		}
		// A type a plan file cannot write (the zero value of a map built
		// in Go): formulas read it as a string, a cohort as undeclared.
		if t := def.Attributes[n]; t < kpi.AttrString || t > kpi.AttrTime {
			ps.Add("attributes."+n, problem.Invalid, fmt.Sprintf("attribute %q has no type (%s): want string, int, decimal, bool or time", n, t))
		}
	}
	if len(def.Indicators) == 0 {
		ps.Add("indicators", problem.Required, "a plan needs at least one indicator")
	}
	set, err := kpi.Compile(def.Indicators, kpi.Env{Attributes: def.Attributes, Calendar: p.cal})
	ps.Merge(err)
	p.indicators = set
	p.compileScoring(&ps)
	p.compileGoals(&ps, linting)
	p.compileCascades(&ps)
	p.compileGoalStats(&ps)
	if len(def.BudgetRates) > 0 {
		p.budget = kpi.FixedRates(def.BudgetRates)
		// Every bad rate, each at its key (and line).
		for _, k := range slices.Sorted(maps.Keys(def.BudgetRates)) {
			if err := (kpi.FixedRates{k: def.BudgetRates[k]}).Validate(); err != nil {
				ps.AddErr("budget_rates."+k, problem.Invalid, err)
			}
		}
	}
	p.compileReport(&ps)
	if err := ps.Err(); err != nil {
		return nil, def.locate(err)
	}
	return p, nil
}

// compileReport checks the report section and computes its periods. A zero
// date is one the plan does not give: it is reported as missing, never as
// 0001-01-01.
func (p *Plan) compileReport(ps *problem.List) {
	r := p.def.Report
	if r == (ReportDef{}) {
		ps.Add("report", problem.Required, "a plan needs a report section: its grain, from and to (such as {grain: month, from: 2025-01-01, to: 2026-01-01})")
		return
	}
	if r.Grain.IsZero() {
		ps.Add("report.grain", problem.Required, "the grain is required (day, week, month, quarter, year, …)")
	}
	if r.From == 0 {
		ps.Add("report.from", problem.Required, "the first day is required (a date YYYY-MM-DD)")
	}
	if r.To == 0 {
		ps.Add("report.to", problem.Required, "the end is required (a date YYYY-MM-DD, the day after the last)")
	}
	if r.From == 0 || r.To == 0 {
		return
	}
	if r.To <= r.From {
		ps.Add("report.to", problem.Invalid, fmt.Sprintf("%s is not after from (%s)", r.To, r.From))
	} else if p.cal != nil && !r.Grain.IsZero() {
		periods, err := p.cal.Periods(r.Grain, r.From, r.To)
		switch {
		case err != nil:
			ps.AddErr("report", problem.Invalid, err)
		case len(periods) == 0:
			ps.Add("report", problem.Invalid, fmt.Sprintf("no %s starts in [%s, %s)", r.Grain, r.From, r.To))
		}
		p.periods = periods
	}
}

// loadCalendar returns the calendar of the definition's timezone, week
// start, fiscal year and working days; nil when it has problems, which it
// adds to ps.
func (def *Definition) loadCalendar(ps *problem.List) *period.Calendar {
	var opts []period.Option
	switch strings.ToLower(def.WeekStart) {
	case "", "monday":
	case "sunday":
		opts = append(opts, period.WithWeekStart(time.Sunday))
	default:
		ps.Add("week_start", problem.Invalid, fmt.Sprintf("week_start must be monday or sunday, got %q", def.WeekStart))
	}
	if def.FiscalYearStart != 0 {
		if def.FiscalYearStart < 1 || def.FiscalYearStart > 12 {
			ps.Add("fiscal_year_start", problem.Invalid, fmt.Sprintf("fiscal_year_start must be a month 1..12, got %d", def.FiscalYearStart))
		} else {
			opts = append(opts, period.WithFiscalStart(time.Month(def.FiscalYearStart)))
		}
	}
	if wc := def.workCalendar(ps); wc != nil {
		opts = append(opts, period.WithWorkdays(wc))
	}
	if def.Timezone == "" {
		ps.Add("timezone", problem.Required, "timezone is required (an IANA zone such as Europe/Berlin)")
	} else if cal, err := period.LoadCalendar(def.Timezone, opts...); err != nil {
		ps.AddErr("timezone", problem.Invalid, err)
	} else {
		return cal
	}
	return nil
}

// workCalendar returns the plan's working-day calendar: the built-in one
// Holidays names, the file Calendar names (read with the plan), or
// WorkCalendar; nil when there is none or it has problems, which it adds to
// ps.
func (def *Definition) workCalendar(ps *problem.List) *period.WorkCalendar {
	switch {
	case def.Holidays != "" && def.Calendar != "":
		ps.Add("calendar", problem.Conflict, "calendar and holidays both give the working-day calendar: keep one (a calendar file can hold a built-in calendar's days and more)")
		return nil
	case def.WorkCalendar != nil && (def.Holidays != "" || def.Calendar != ""):
		key := "holidays"
		if def.Calendar != "" {
			key = "calendar"
		}
		ps.Add(key, problem.Conflict, fmt.Sprintf("the definition's WorkCalendar and its %s both give the working-day calendar: keep one", key))
		return nil
	case def.WorkCalendar != nil:
		return def.WorkCalendar
	case def.Holidays != "":
		wc, err := period.BuiltinWorkCalendar(def.Holidays)
		if err != nil {
			ps.Add("holidays", problem.Unknown, fmt.Sprintf("unknown holiday calendar %q (built in: %s; or name a calendar file with calendar:)", def.Holidays, strings.Join(period.BuiltinWorkCalendars(), ", ")))
			return nil
		}
		return wc
	case def.Calendar == "":
		return nil
	case def.calendar.name != def.Calendar:
		ps.Add("calendar", problem.Invalid, fmt.Sprintf("calendar file %q was not read with the plan: read the plan with ReadDefinition or ReadDefinitionFS, or set WorkCalendar in Go", def.Calendar))
		return nil
	case def.calendar.err != nil:
		var fe *period.FileError
		if !errors.As(def.calendar.err, &fe) {
			ps.AddErr("calendar", problem.Invalid, fmt.Errorf("calendar file %q: %w", def.Calendar, def.calendar.err))
			return nil
		}
		// One problem per line of the calendar file.
		errs := []error{def.calendar.err}
		if j, ok := def.calendar.err.(interface{ Unwrap() []error }); ok {
			errs = j.Unwrap()
		}
		for _, err := range errs {
			ps.AddErr("calendar", problem.Invalid, err)
		}
		return nil
	}
	return def.calendar.work
}

// compileScoring compiles the scorecard sections of the definition.
func (p *Plan) compileScoring(ps *problem.List) {
	d := &p.def
	if len(d.Scorecards)+len(d.Bonuses)+len(d.Leaderboards)+len(d.Badges)+len(d.Competitions) == 0 {
		return
	}
	s, err := score.Compile(score.Defs{Scorecards: d.Scorecards, Bonuses: d.Bonuses, Leaderboards: d.Leaderboards,
		Badges: d.Badges, Competitions: d.Competitions}, score.Env{Indicators: p.indicators})
	ps.Merge(err)
	p.scoring = s
}

// compileGoals compiles the goals section of the definition.
func (p *Plan) compileGoals(ps *problem.List, linting bool) {
	if len(p.def.Goals) == 0 {
		return
	}
	s, err := goal.Compile(p.def.Goals, goal.Env{Calendar: p.cal, Indicators: p.def.Indicators, Compiled: p.indicators, Attributes: p.def.Attributes, Linting: linting})
	ps.Merge(err)
	p.goals = s
}

// compileCascades compiles the cascades section of the definition.
func (p *Plan) compileCascades(ps *problem.List) {
	if len(p.def.Cascades) == 0 || p.cal == nil {
		return
	}
	s, err := cascade.Compile(p.def.Cascades, cascade.Env{Calendar: p.cal, Indicators: p.indicators})
	ps.Merge(err)
	p.cascades = s
}

// Calendar returns the plan's calendar.
func (p *Plan) Calendar() *period.Calendar { return p.cal }

// Indicators returns the plan's compiled indicators.
func (p *Plan) Indicators() *kpi.Set { return p.indicators }

// Periods returns the periods of the plan's report section.
func (p *Plan) Periods() []period.Period { return p.periods }

// Goals returns the plan's compiled goals; nil when it has none.
func (p *Plan) Goals() *goal.Set { return p.goals }

// Scoring returns the plan's compiled scorecards, bonus schemes,
// leaderboards, badges and competitions; nil when it has none.
func (p *Plan) Scoring() *score.Scoring { return p.scoring }

// Cascades returns the plan's compiled cascades; nil when it has none.
func (p *Plan) Cascades() *cascade.Set { return p.cascades }

// Definition returns a copy of the definition the plan was compiled from:
// the caller may change it (to compile another plan, say) without
// changing this one.
func (p *Plan) Definition() Definition { return cloneDefinition(p.def) }

// Warnings returns the problems of the definition that do not stop it from
// working (a scorecard with more than 5 KPIs), sorted by path; when the
// definition was read from a file, each names its line.
func (p *Plan) Warnings() []*problem.Problem {
	if p.scoring == nil {
		return nil
	}
	var out []*problem.Problem
	for _, w := range p.scoring.Warnings() {
		c := *w
		c.Where = strings.TrimSuffix(p.def.where(c.Path), ": ")
		c.Severity = problem.SevWarning
		out = append(out, &c)
	}
	return out
}

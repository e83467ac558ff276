package goal

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/goalkit/goalkit/internal/display"

	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/deepcopy"
	"github.com/goalkit/goalkit/internal/defcheck"
	"github.com/goalkit/goalkit/internal/suggest"
	"github.com/goalkit/goalkit/internal/winspan"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Env is what goals are compiled against: the plan's calendar, indicators
// and event attributes.
type Env struct {
	// Calendar lays out periods; nil means the default calendar (UTC).
	Calendar *period.Calendar
	// Indicators are the plan's indicator definitions. Their own problems
	// are the caller's to report: when they do not compile, the checks of
	// goals that need them are skipped.
	Indicators []kpi.IndicatorDef
	// Attributes types the event attributes filters read.
	Attributes map[string]kpi.AttrType
	// Path prefixes problem paths; default "goals".
	Path string
	// Compiled, when set, is Indicators compiled by the caller (kpi.Compile
	// with the same attributes and calendar): the goals read it rather
	// than compile their own, so that a kpi.Result of it (Request.Values)
	// can answer them, and take their indicators' aggregates and
	// percentiles from it (a goal with a filter, from Indicators narrowed
	// by the filter, which it evaluates).
	Compiled *kpi.Set
	// Linting compiles for the SMART lint itself, which reports the lint's
	// errors (a goal without a target or an end) as findings: Compile then
	// leaves them out, while otherwise it refuses the goals.
	Linting bool
}

// Set is a compiled, immutable set of goals, safe for concurrent use.
type Set struct {
	goals []*Goal
	byID  map[string]*Goal
	cal   *period.Calendar
	views []*kpi.Set // views[0]: the plan's indicators; then one per goal filter
	items *kpi.Set   // checklist items, nil when there are none
	// viewOf maps a filter's source to its view.
	viewOf map[string]int
	attrs  map[string]kpi.AttrType
	lean   *leanSets
}

// Goal is a compiled goal.
type Goal struct {
	def       Def
	index     int
	path      string
	view      int
	aggregate kpi.Aggregate   // 0 for formula indicators and checklists
	p         decimal.Decimal // the percentile of a median (0.5) or percentile indicator
	formulaIx bool
	windowed  bool // the indicator is cumulative over a window (to_date, window)
	dir       score.Direction
	measure   Measure
	fixed     period.Period
	rec       *period.Recurrence
	target    *formula.Program
	next      *formula.Program
	byPeriod  map[period.Period]decimal.Decimal
	items     []item
	onTrack   decimal.Decimal
	atRisk    decimal.Decimal
	pace      PaceMethod
	forecast  ForecastBasis
	history   int
	chance    *chanceSpec
	policy    Policy
}

type item struct {
	def    ItemDef
	id     string // indicator id in the items set
	weight decimal.Decimal
	count  int64
}

// Def returns the goal's definition: the set's own copy of the one
// compiled, which the host's later changes to its definitions do not
// reach. Its maps, slices and pointers are the goal's: read them, and
// copy one before changing it (a change would change what the goal
// evaluates). Def does not copy them at each call: delivery and the
// dashboard read it for every notification and row.
func (g *Goal) Def() Def { return g.def }

// ID returns the goal's id.
func (g *Goal) ID() string { return g.def.ID }

// Direction returns the goal's direction.
func (g *Goal) Direction() score.Direction { return g.dir }

// Measure returns the goal's measure.
func (g *Goal) Measure() Measure { return g.measure }

// Goals returns the goals in definition order.
func (s *Set) Goals() []*Goal { return s.goals }

// Lookup returns the goal with the id.
func (s *Set) Lookup(id string) (*Goal, bool) {
	g, ok := s.byID[id]
	return g, ok
}

// Calendar returns the calendar the set was compiled with.
func (s *Set) Calendar() *period.Calendar { return s.cal }

// rootPath is the path that prefixes the paths of problems and findings:
// the host's (Env.Path, LintOptions.Path, HistoryOptions.Path), else
// "goals", where a plan holds its goals.
func rootPath(path string) string { return cmp.Or(path, "goals") }

// Compile validates goal definitions and compiles their formulas. It
// reports every problem at once, sorted by path, as a *problem.Error. A
// number whose exponent is past ±10000, which a plan file cannot write (a
// Def built in Go can), is refused first, alone: a target of 10^100000000
// compiled, and every evaluation then computed for minutes.
func Compile(defs []Def, env Env) (*Set, error) {
	root := rootPath(env.Path)
	var ps problem.List
	if !defcheck.Exponents(&ps, root, defs) {
		return nil, ps.Err()
	}
	cal := env.Calendar
	if cal == nil {
		cal, _ = period.NewCalendar(nil)
	}
	s := &Set{byID: map[string]*Goal{}, cal: cal, viewOf: map[string]int{}, attrs: env.Attributes,
		lean: newLeanSets(env.Attributes, cal)}
	base, err := env.Compiled, error(nil)
	if base == nil {
		base, err = kpi.Compile(env.Indicators, kpi.Env{Attributes: env.Attributes, Calendar: env.Calendar})
	}
	haveBase := err == nil
	if haveBase {
		s.views = append(s.views, base)
		s.viewOf[""] = 0
	}
	indByID := map[string]kpi.IndicatorDef{}
	var ids []string
	for _, d := range env.Indicators {
		if _, dup := indByID[d.ID]; !dup && d.ID != "" {
			indByID[d.ID] = d
			ids = append(ids, d.ID)
		}
	}
	evEnv := kpi.Env{Attributes: env.Attributes, Calendar: env.Calendar}.EventEnv()
	var itemDefs []kpi.IndicatorDef
	for i, d := range defs {
		path := fmt.Sprintf("%s[%d]", root, i)
		// The set keeps its own copy: it reads the participants, targets
		// and milestones at every evaluation, and a host may change its
		// definitions once they compiled.
		g := &Goal{def: deepcopy.Of(d), index: i, path: path}
		if defcheck.ID(&ps, path+".id", d.ID) {
			if prev := s.byID[d.ID]; prev != nil {
				ps.Add(path+".id", problem.Duplicate, fmt.Sprintf("id %q is already defined at %s", d.ID, prev.path))
			} else {
				s.byID[d.ID] = g
			}
		}
		defcheck.OneOf(&ps, path+".state", d.State, StateDraft, StateActive)
		g.dir = cmp.Or(d.Direction, score.HigherIsBetter)
		defcheck.OneOf(&ps, path+".direction", d.Direction, score.HigherIsBetter, score.LowerIsBetter)
		s.compileMeasure(g, indByID, ids, haveBase, evEnv, &ps)
		if len(d.Checklist) > 0 {
			itemDefs = append(itemDefs, g.compileChecklist(evEnv, &ps)...)
		}
		g.compilePeriod(cal, &ps)
		if haveBase {
			g.checkSpan(cal, base, &ps)
		}
		g.compileParticipants(&ps)
		g.compileTargets(cal, ids, &ps)
		g.compileOptions(&ps)
		s.goals = append(s.goals, g)
	}
	if len(itemDefs) > 0 {
		set, err := kpi.Compile(itemDefs, kpi.Env{Attributes: env.Attributes, Calendar: env.Calendar, Path: "checklist"})
		if err != nil {
			// Every item was checked on its own; a problem left is a bug of
			// the translation, reported on the goals.
			ps.AddErr(root, problem.Invalid, err)
		}
		s.items = set
	}
	// What the SMART lint calls an error stops the plan too: a goal without
	// a target or an end would compile and then never start.
	for _, f := range Lint(defs, LintOptions{Path: root, Calendar: cal}) {
		if !env.Linting && f.Severity == problem.SevError && !ps.Has(f.Path) {
			ps.Add(f.Path, f.Code, f.Msg)
		}
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// compileMeasure checks what a goal measures: an indicator (with a filter)
// or a checklist, its measure and pace.
func (s *Set) compileMeasure(g *Goal, indByID map[string]kpi.IndicatorDef, ids []string, haveBase bool, evEnv *formula.Env, ps *problem.List) {
	d, path := g.def, g.path
	switch {
	case d.Indicator == "" && len(d.Checklist) == 0:
		ps.Add(path+".indicator", problem.Required, "nothing measurable: set indicator (a quantitative goal) or checklist (a qualitative one)")
	case d.Indicator != "" && len(d.Checklist) > 0:
		ps.Add(path+".checklist", problem.Conflict, "a goal measures an indicator or a checklist, not both")
	}
	g.measure = d.Measure
	defcheck.OneOf(ps, path+".measure", d.Measure, Cumulative, Level)
	if len(d.Checklist) > 0 {
		if d.Measure == Level {
			ps.Add(path+".measure", problem.Conflict, "a checklist is cumulative")
		}
		if d.Filter != "" {
			ps.Add(path+".filter", problem.Conflict, "filter applies to an indicator; give checklist items their own where")
		}
		if d.Direction == score.LowerIsBetter {
			ps.Add(path+".direction", problem.Conflict, "a checklist is higher-is-better")
		}
		g.measure = Cumulative
	}
	if d.Indicator != "" {
		def, ok := indByID[d.Indicator]
		if !ok {
			ps.Add(path+".indicator", problem.Unknown, suggest.Unknown("indicator", d.Indicator, ids))
		}
		if d.Filter != "" {
			if _, err := formula.Compile(d.Filter, evEnv, formula.TypeBool); err != nil {
				ps.AddErr(path+".filter", problem.Formula, err)
			} else if haveBase && ok {
				if v, err := s.view(d.Filter, indByID, ids); err != nil {
					ps.AddErr(path+".filter", problem.Formula, err)
				} else {
					g.view = v
				}
			}
		}
		if ok {
			var ix *kpi.Indicator
			if haveBase {
				ix, _ = s.views[g.view].Lookup(d.Indicator)
			}
			g.readIndicator(ix, def)
			if g.measure == "" {
				g.measure = Level
				switch g.aggregate {
				case kpi.Count, kpi.Sum, kpi.Distinct:
					g.measure = Cumulative
				}
			}
		}
	}
	if g.measure == "" {
		g.measure = Cumulative
	}
	// A count or sum adds up day by day, unless each day's value is itself
	// a window (to date, trailing).
	additive := len(d.Checklist) == 0 && (g.aggregate == kpi.Count || g.aggregate == kpi.Sum) && !g.windowed
	// A seasonal pace or forecast spreads the indicator over the days by
	// its history, which only an additive indicator has.
	seasonal := func(field string) {
		if !additive && d.Indicator != "" {
			ps.Add(path+"."+field, problem.Conflict, "a seasonal "+field+" needs an indicator that adds up day by day (aggregate count or sum)")
		}
	}
	g.pace = cmp.Or(d.Pace, PaceWorkdays)
	defcheck.OneOf(ps, path+".pace", d.Pace, PaceLinear, PaceWorkdays, PaceSeasonal)
	if d.Pace == PaceSeasonal {
		seasonal("pace")
	}
	g.forecast = cmp.Or(d.Forecast, ForecastWorkdays)
	defcheck.OneOf(ps, path+".forecast", d.Forecast, ForecastWorkdays, ForecastCalendar, ForecastSeasonal, ForecastProbabilistic)
	if d.Forecast == ForecastSeasonal {
		seasonal("forecast")
	}
	g.chance = compileChance(d, path, additive, g.measure, ps)
	if len(d.Checklist) > 0 && (g.pace == PaceSeasonal || g.forecast == ForecastSeasonal) {
		ps.Add(path+".pace", problem.Conflict, "a checklist has no seasonal profile")
	}
	g.history = d.PaceHistory
	switch {
	case d.PaceHistory < 0 || d.PaceHistory > forecast.MaxHistory:
		ps.Add(path+".pace_history", problem.Invalid, fmt.Sprintf("pace_history must be 1..%d periods, got %d", forecast.MaxHistory, d.PaceHistory))
	case d.PaceHistory == 0:
		g.history = forecast.DefaultPaceHistory
	}
}

// readIndicator reads what the goal measures from its indicator: the
// compiled one, ix, where there is one (the view the goal's values come
// from: Env.Compiled where given, or the plan's indicators narrowed by the
// goal's filter), else its definition, def (the plan's indicators did not
// compile, and the goal is not evaluated). A caller's Env.Indicators that
// says another aggregate or p than the compiled indicator its values come
// from (a p of 1.5 beside a compiled 0.9) is not read: the instant a goal
// was achieved accrues what its actual is.
func (g *Goal) readIndicator(ix *kpi.Indicator, def kpi.IndicatorDef) {
	agg := def.Aggregate
	if ix != nil {
		def, agg = ix.Def, ix.Aggregate
	}
	g.formulaIx = def.Formula != ""
	g.windowed = def.ToDate != "" || def.Window != ""
	if agg == "" || g.formulaIx {
		return
	}
	g.aggregate = agg
	switch {
	case agg == kpi.Median:
		g.p = decimal.New(5, -1)
	case agg == kpi.Percentile && def.P != nil:
		g.p = *def.P
	}
}

// view returns the view of the plan's indicators narrowed by filter: every
// event indicator's where becomes (where) && (filter); formula indicators
// read the narrowed ones.
func (s *Set) view(filter string, indByID map[string]kpi.IndicatorDef, ids []string) (int, error) {
	if v, ok := s.viewOf[filter]; ok {
		return v, nil
	}
	defs := make([]kpi.IndicatorDef, 0, len(ids))
	for _, id := range ids {
		d := indByID[id]
		if d.Formula == "" {
			if d.Where == "" {
				d.Where = filter
			} else {
				d.Where = "(" + d.Where + ") && (" + filter + ")"
			}
		}
		defs = append(defs, d)
	}
	set, err := kpi.Compile(defs, kpi.Env{Attributes: s.attrs, Calendar: s.cal})
	if err != nil {
		return 0, err
	}
	s.views = append(s.views, set)
	s.viewOf[filter] = len(s.views) - 1
	return len(s.views) - 1, nil
}

func (g *Goal) compileChecklist(evEnv *formula.Env, ps *problem.List) []kpi.IndicatorDef {
	var out []kpi.IndicatorDef
	seen := map[string]int{}
	for j, it := range g.def.Checklist {
		path := fmt.Sprintf("%s.checklist[%d]", g.path, j)
		in := item{def: it, id: fmt.Sprintf("c%d_%d", g.index, j), weight: one, count: 1}
		if defcheck.ID(ps, path+".id", it.ID) {
			if k, dup := seen[it.ID]; dup {
				ps.Add(path+".id", problem.Duplicate, fmt.Sprintf("id %q is already defined at %s.checklist[%d]", it.ID, g.path, k))
			}
			seen[it.ID] = j
		}
		if score.Optional(it.Weight).Valid {
			if score.Optional(it.Weight).Decimal.Sign() < 0 {
				ps.Add(path+".weight", problem.Invalid, fmt.Sprintf("weight must not be negative, got %s", display.Number(*it.Weight)))
			}
			in.weight = score.Optional(it.Weight).Decimal
		}
		if it.Count < 0 {
			ps.Add(path+".count", problem.Invalid, fmt.Sprintf("count must be positive, got %d", it.Count))
		} else if it.Count > 0 {
			in.count = int64(it.Count)
		}
		if it.Manual {
			if len(it.Kinds) > 0 || it.Where != "" {
				ps.Add(path+".manual", problem.Conflict, "a manual item is marked by the host: it has no kinds or where")
			}
			g.items = append(g.items, in)
			continue
		}
		kinds := slices.Clone(it.Kinds)
		if it.Where != "" {
			p, err := formula.Compile(it.Where, evEnv, formula.TypeBool)
			if err != nil {
				ps.AddErr(path+".where", problem.Formula, err)
				g.items = append(g.items, in)
				continue
			}
			if len(kinds) == 0 {
				kinds = kindsOf(p.Node())
			}
		}
		if len(kinds) == 0 {
			ps.Add(path+".kinds", problem.Required, `kinds is required (or a where that names them, such as kind == "training.completed"), or manual: true`)
			g.items = append(g.items, in)
			continue
		}
		g.items = append(g.items, in)
		out = append(out, kpi.IndicatorDef{ID: in.id, Kinds: kinds, Where: it.Where, Aggregate: "count"})
	}
	return out
}

// kindsOf returns the event kinds a predicate requires: the kinds of a
// top-level `kind == "x"` or `kind in [...]`, possibly inside a conjunction.
func kindsOf(n formula.Node) []string {
	switch x := n.(type) {
	case formula.Compare:
		if id, ok := x.L.(formula.Ident); ok && id.Name == "kind" && x.Op == "==" {
			if c, ok := x.R.(formula.Const); ok {
				if s, ok := c.Value.Str(); ok {
					return []string{s}
				}
			}
		}
	case formula.In:
		if id, ok := x.X.(formula.Ident); ok && id.Name == "kind" && !x.Not {
			var out []string
			for _, v := range x.List {
				if s, ok := v.Str(); ok {
					out = append(out, s)
				}
			}
			slices.Sort(out)
			return slices.Compact(out)
		}
	case formula.And:
		if k := kindsOf(x.L); k != nil {
			return k
		}
		return kindsOf(x.R)
	}
	return nil
}

func (g *Goal) compilePeriod(cal *period.Calendar, ps *problem.List) {
	d, path := g.def.Period, g.path+".period"
	if d.From == 0 {
		ps.Add(path+".from", problem.Required, "period.from is required (the first day, or the anchor of a recurrence)")
		return
	}
	if d.Every.IsZero() {
		for _, f := range []struct {
			name string
			set  bool
		}{{"interval", d.Interval != 0}, {"until", d.Until != 0}, {"count", d.Count != 0}} {
			if f.set {
				ps.Add(path+"."+f.name, problem.Conflict, f.name+" applies to a recurrence (set period.every)")
			}
		}
		switch {
		case d.To == 0:
			ps.Add(path+".to", problem.Required, "no end: set period.to (the day after the last, for a fixed range) or period.every (a recurrence)")
		case d.To <= d.From:
			ps.Add(path+".to", problem.Invalid, fmt.Sprintf("period.to (%s) must be after period.from (%s)", d.To, d.From))
		case int(d.To-d.From) > period.MaxDays:
			ps.Add(path+".to", problem.Invalid, fmt.Sprintf("a fixed period is at most %d days", period.MaxDays))
		default:
			g.fixed = fixedPeriod(cal, d.From, d.To)
		}
		return
	}
	if d.To != 0 {
		ps.Add(path+".to", problem.Conflict, "to ends a fixed range; a recurrence ends with until or count")
	}
	r := period.Recurrence{Grain: d.Every, Every: d.Interval, Anchor: d.From, Until: d.Until, Count: d.Count}
	bad := false
	if d.Interval < 0 {
		ps.Add(path+".interval", problem.Invalid, fmt.Sprintf("interval must be positive, got %d", d.Interval))
		bad = true
	}
	if d.Count < 0 {
		ps.Add(path+".count", problem.Invalid, fmt.Sprintf("count must not be negative, got %d", d.Count))
		bad = true
	}
	if d.Until != 0 && d.Until <= d.From {
		ps.Add(path+".until", problem.Invalid, fmt.Sprintf("period.until (%s) must be after period.from (%s)", d.Until, d.From))
		bad = true
	}
	if bad {
		return
	}
	// What is left for Validate is an interval so long that one period
	// would outrun the calendar's arithmetic: refused here, it compiled and
	// every evaluation failed.
	if err := r.Validate(); err != nil {
		ps.Add(path+".interval", problem.Invalid, "interval "+strings.TrimPrefix(err.Error(), "every: "))
		return
	}
	// An occurrence is at most as long as a fixed period: an evaluation
	// lays a period out day by day, and one of thousands of years ran out
	// of memory (or failed, the period before it found empty).
	if most := mostPeriods(cal, d.Every, d.From); int64(max(d.Interval, 1)) > most {
		ps.Add(path+".interval", problem.Invalid, fmt.Sprintf("interval %d: so many periods of %s may last more than %d days, the longest a goal's period may be: at most %d",
			d.Interval, d.Every, period.MaxDays, most))
		return
	}
	g.rec = &r
}

// mostPeriods returns how many periods of g an occurrence may hold within
// period.MaxDays days, each period counted at its longest: its days for a
// grain of fixed length, else 31, 92 or 366 for one of a month, a quarter
// or a year (fiscal or not).
func mostPeriods(cal *period.Calendar, g period.Grain, from date.Date) int64 {
	return period.MaxDays / longestPeriod(cal, g, from)
}

// longestPeriod returns the most days a period of g may last: its days
// for a grain of fixed length, else 31, 92 or 366 for one of a month, a
// quarter or a year (fiscal or not).
func longestPeriod(cal *period.Calendar, g period.Grain, from date.Date) int64 {
	longest := int64(366)
	if days, fixed := g.Length(); fixed {
		longest = int64(days)
	} else {
		p := cal.Containing(g, from)
		y0, m0, _ := p.Start.Date()
		y1, m1, _ := p.End.Date()
		switch (y1-y0)*12 + int(m1) - int(m0) {
		case 1:
			longest = 31
		case 3:
			longest = 92
		}
	}
	return longest
}

// checkSpan refuses a goal whose period, with the periods before it that
// the prev() of view's formulas reads and the windows of its cumulative
// indicators, spans more days than kpi evaluates (winspan.MaxDays): a goal
// of seventy years over ytd - prev(ytd) compiled, and every evaluation
// then failed without naming the goal. kpi evaluates the whole view for a
// goal over a formula or a cumulative indicator, so its lookback and the
// reach of its windows are the view's.
func (g *Goal) checkSpan(cal *period.Calendar, view *kpi.Set, ps *problem.List) {
	back := view.Lookback()
	if back == 0 || !g.formulaIx && !g.windowed {
		return
	}
	reach := -1 // the most days a window starts before its period's end
	for _, ix := range view.Indicators() {
		if d := ix.Def; d.ToDate != "" || d.Window != "" {
			r, _ := winspan.Reach(d.ToDate, d.Window) // all: 0, bounded by kpi at evaluation
			reach = max(reach, r)
		}
	}
	if reach < 0 {
		return // no window: kpi lays out no span of days
	}
	d := g.def.Period
	var days int64
	switch {
	case g.fixed != period.Period{}:
		days = int64(g.fixed.End - g.fixed.Start)
	case g.rec != nil:
		days = int64(max(d.Interval, 1)) * longestPeriod(cal, d.Every, d.From)
	default:
		return
	}
	if span := int64(back)*days + max(days, int64(reach)); span > winspan.MaxDays {
		ps.Add(g.path+".period", problem.Invalid, fmt.Sprintf("a period of up to %d days, with the %d of its length before it that prev() reads and the windows of cumulative indicators (up to %d days back), spans %d days of events, more than the %d (about a century) an evaluation reads: shorten the period",
			days, back, reach, span, winspan.MaxDays))
	}
}

// fixedPeriod is the period [from, to): a whole period of a standard grain
// when it is one (a week, a month), else a custom period of its length.
func fixedPeriod(cal *period.Calendar, from, to date.Date) period.Period {
	for _, gr := range []period.Grain{period.Day, period.Week, period.Month, period.Quarter, period.Year} {
		if p := cal.Containing(gr, from); p.Start == from && p.End == to {
			return p
		}
	}
	return period.Period{Grain: period.Days(int(to - from)), Start: from, End: to}
}

func (g *Goal) compileParticipants(ps *problem.List) {
	d, path := g.def.Participants, g.path+".participants"
	if len(d.Users) == 0 && len(d.Teams) == 0 && !d.Company {
		ps.Add(path, problem.Required, "no participants: name users, teams or the company")
	}
	for _, list := range []struct {
		name string
		ids  []string
	}{{"users", d.Users}, {"teams", d.Teams}} {
		for j, id := range list.ids {
			p := fmt.Sprintf("%s.%s[%d]", path, list.name, j)
			switch {
			case id == "" || id == org.Everyone:
				ps.Add(p, problem.Invalid, fmt.Sprintf("%q is not a participant id", id))
			case display.IDProblem(id) != "":
				// No event's actor has such an id: the goal could never
				// count one.
				ps.Add(p, problem.Invalid, fmt.Sprintf("%q is not a participant id: it %s", id, display.IDProblem(id)))
			case slices.Index(list.ids, id) != j:
				ps.Add(p, problem.Duplicate, fmt.Sprintf("%q is listed twice", id))
			}
		}
	}
	defcheck.OneOf(ps, path+".mode", d.Mode, Shared, Each)
	if d.Mode != Each {
		// A shared team has a row of its own beside the users' rows, and a
		// goal's rows, notifications and views are told apart by
		// participant id (directories such as Bitrix24's number users and
		// departments apart, so "3" may be both).
		for j, id := range d.Teams {
			if slices.Contains(d.Users, id) {
				ps.Add(fmt.Sprintf("%s.teams[%d]", path, j), problem.Conflict,
					fmt.Sprintf("%q is both a user and a team of the goal: their rows would share an id; make a goal for each", id))
			}
		}
	}
}

func (g *Goal) compileTargets(cal *period.Calendar, ids []string, ps *problem.List) {
	d, path := g.def, g.path
	if d.TargetFormula != "" {
		p, err := formula.Compile(d.TargetFormula, targetEnv(ids), formula.TypeNumber)
		if err != nil {
			ps.AddErr(path+".target_formula", problem.Formula, err)
		}
		g.target = p
		if len(d.Checklist) > 0 {
			ps.Add(path+".target_formula", problem.Conflict, "a checklist's target is a number (the weight of the items that must be done)")
		}
	}
	if len(d.TargetByPeriod) > 0 {
		g.byPeriod = map[period.Period]decimal.Decimal{}
		for _, label := range slices.Sorted(maps.Keys(d.TargetByPeriod)) {
			p, err := cal.ParseLabel(label)
			kp := path + ".target_by_period." + label
			switch {
			case err != nil:
				ps.AddErr(kp, problem.Invalid, err)
			case !g.isInstance(cal, p):
				ps.Add(kp, problem.Invalid, fmt.Sprintf("%s is not a period of the goal", label))
			default:
				g.byPeriod[p] = d.TargetByPeriod[label]
			}
		}
	}
	if known, closed := g.namedParticipants(); closed {
		for _, id := range slices.Sorted(maps.Keys(d.TargetByParticipant)) {
			if !slices.Contains(known, id) {
				ps.Add(path+".target_by_participant."+id, problem.Unknown,
					fmt.Sprintf("%q is not a participant of the goal%s", id, suggest.Hint(id, known)))
			}
		}
	}
	if d.Close.NextTarget != "" {
		p, err := formula.Compile(d.Close.NextTarget, nextEnv(ids), formula.TypeNumber)
		if err != nil {
			ps.AddErr(path+".close.next_target", problem.Formula, err)
		}
		g.next = p
		if d.Period.Every.IsZero() {
			ps.Add(path+".close.next_target", problem.Conflict, "next_target needs a recurring period (period.every)")
		}
	}
}

// namedParticipants returns the ids of the goal's rows that its definition
// names (its users, its teams measured together, the company as
// org.Everyone) and whether they are all its rows: with teams or the
// company measured for each member, the members come from the directory
// or the events, and any user id may be a row.
func (g *Goal) namedParticipants() (ids []string, closed bool) {
	d := g.def.Participants
	if d.Mode == Each && (len(d.Teams) > 0 || d.Company) {
		return nil, false
	}
	ids = slices.Concat(d.Users, d.Teams)
	if d.Company {
		ids = append(ids, org.Everyone)
	}
	return ids, true
}

// isInstance reports whether p is one of the goal's periods. Before the
// period is compiled it is false.
func (g *Goal) isInstance(cal *period.Calendar, p period.Period) bool {
	if g.rec == nil {
		return !g.fixed.IsZero() && g.fixed == p
	}
	occ, err := cal.Occurrences(*g.rec, p.Start, p.End)
	return err == nil && slices.Contains(occ, p)
}

// quoted is the milestone as a message quotes it: its number shortened
// past 40 characters (display.Number: 1e-10000%, not its 10,000 places).
func (m Milestone) quoted() string {
	if m.Percent {
		return display.Number(m.Value) + "%"
	}
	return display.Number(m.Value)
}

func (g *Goal) compileOptions(ps *problem.List) {
	d, path := g.def, g.path
	if score.Optional(d.Weight).Valid && (score.Optional(d.Weight).Decimal.Sign() < 0 || score.Optional(d.Weight).Decimal.Cmp(hundred) > 0) {
		ps.Add(path+".weight", problem.Invalid, fmt.Sprintf("weight is a percent 0..100, got %s", display.Number(*d.Weight)))
	}
	for j, m := range d.Milestones {
		if m.Percent && m.Value.Sign() <= 0 {
			ps.Add(fmt.Sprintf("%s.milestones[%d]", path, j), problem.Invalid, fmt.Sprintf("milestone %s must be above 0%%", m.quoted()))
		}
		if slices.IndexFunc(d.Milestones, func(o Milestone) bool { return o.Percent == m.Percent && o.Value.Equal(m.Value) }) != j {
			ps.Add(fmt.Sprintf("%s.milestones[%d]", path, j), problem.Duplicate, fmt.Sprintf("milestone %s is listed twice", m.quoted()))
		}
	}
	g.onTrack, g.atRisk = defaultOnTrack, defaultAtRisk
	if t := d.Thresholds.OnTrack; score.Optional(t).Valid {
		if score.Optional(t).Decimal.Sign() <= 0 {
			ps.Add(path+".thresholds.on_track", problem.Invalid, fmt.Sprintf("on_track must be above 0, got %s", display.Number(*t)))
		}
		g.onTrack = score.Optional(t).Decimal
	}
	if t := d.Thresholds.AtRisk; score.Optional(t).Valid {
		if score.Optional(t).Decimal.Sign() <= 0 {
			ps.Add(path+".thresholds.at_risk", problem.Invalid, fmt.Sprintf("at_risk must be above 0, got %s", display.Number(*t)))
		}
		g.atRisk = score.Optional(t).Decimal
	}
	// A default gives way to an explicit value: at_risk defaults to at
	// most on_track, on_track to at least at_risk.
	onSet, riskSet := score.Optional(d.Thresholds.OnTrack).Valid, score.Optional(d.Thresholds.AtRisk).Valid
	switch {
	case onSet && !riskSet:
		g.atRisk = decimal.Min(g.atRisk, g.onTrack)
	case riskSet && !onSet:
		g.onTrack = decimal.Max(g.onTrack, g.atRisk)
	}
	if g.atRisk.Cmp(g.onTrack) > 0 {
		ps.Add(path+".thresholds.at_risk", problem.Invalid, fmt.Sprintf("at_risk (%s) must not be above on_track (%s)", display.Number(g.atRisk), display.Number(g.onTrack)))
	}
	for j, r := range d.Notify {
		rp := fmt.Sprintf("%s.notify[%d]", path, j)
		if !slices.Contains(notifyKinds, r.On) {
			names := make([]string, len(notifyKinds))
			for k, n := range notifyKinds {
				names[k] = string(n)
			}
			ps.Add(rp+".on", problem.Invalid, fmt.Sprintf("unknown notification %q (want one of %s)", r.On, strings.Join(names, ", ")))
		}
		if r.Days < 0 {
			ps.Add(rp+".days", problem.Invalid, fmt.Sprintf("days must not be negative, got %d", r.Days))
		} else if r.Days > 0 && r.On != NotifyDeadlineApproaching {
			ps.Add(rp+".days", problem.Conflict, "days applies to deadline_approaching")
		}
		if r.Threshold.Valid {
			if r.On != NotifyAtRisk && r.On != NotifyBackOnTrack {
				ps.Add(rp+".threshold", problem.Conflict, "threshold applies to at_risk and back_on_track")
			} else if r.Threshold.Decimal.Sign() <= 0 {
				ps.Add(rp+".threshold", problem.Invalid, fmt.Sprintf("threshold must be above 0, got %s", display.Number(r.Threshold.Decimal)))
			}
		}
	}
	c := d.Close
	if c.AfterDays < 0 {
		ps.Add(path+".close.after_days", problem.Invalid, fmt.Sprintf("after_days must not be negative, got %d", c.AfterDays))
	} else if c.AfterDays > 0 && !c.Auto {
		// Without auto nothing closes an instance by time: after_days
		// would be read by nothing, and the plan would seem to say what
		// it does not.
		ps.Add(path+".close.after_days", problem.Conflict, "after_days applies to auto: true (add auto: true to close each instance after_days after its end)")
	}
	g.policy = cmp.Or(c.Corrections, Freeze)
	defcheck.OneOf(ps, path+".close.corrections", c.Corrections, Freeze, Restate)
	defcheck.OneOf(ps, path+".visibility", d.Visibility, Public, Private)
}

// targetEnv is the environment of target formulas: the plan's indicators,
// prev(), the period helpers, and target (the goal's fixed target).
func targetEnv(ids []string) *formula.Env {
	return formula.IndicatorEnv(ids...).With(formula.Decl{Name: "target", Type: formula.TypeNumber})
}

// nextEnv is the environment of next-target rules: target, actual and
// achievement of the instance that closed, and the plan's indicators in it.
func nextEnv(ids []string) *formula.Env {
	return formula.IndicatorEnv(ids...).With(
		formula.Decl{Name: "target", Type: formula.TypeNumber},
		formula.Decl{Name: "actual", Type: formula.TypeNumber},
		formula.Decl{Name: "achievement", Type: formula.TypeNumber},
	)
}

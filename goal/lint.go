package goal

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/internal/defcheck"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// The lint rules: the codes of lint findings.
const (
	RuleDefinition        problem.Code = "definition"         // the definition does not compile
	RuleNoTarget          problem.Code = "no_target"          // a quantitative goal without a target
	RuleNoEnd             problem.Code = "no_end"             // a fixed period without an end
	RuleBadTarget         problem.Code = "bad_target"         // a zero or negative target
	RuleLowerZero         problem.Code = "lower_zero_target"  // a lower-is-better goal with a zero target
	RuleNothingMeasurable problem.Code = "nothing_measurable" // no indicator, no checklist, or only manual items
	RuleTooMany           problem.Code = "too_many_goals"     // more than 5 goals at once for a person
	RuleWeights           problem.Code = "weights"            // a person's goal weights do not sum to 100
	RuleOverlap           problem.Code = "overlap"            // duplicate or overlapping goals
	RuleBeyondHistory     problem.Code = "beyond_history"     // a target far beyond what history shows
	RuleUnlikely          problem.Code = "unlikely_target"    // a target the forecast from history gives little chance
	RuleFilterNoMatch     problem.Code = "filter_no_match"    // a filter that matched no event of the history
)

// LintOptions tune the lint.
type LintOptions struct {
	// Path prefixes paths; default "goals".
	Path string
	// MaxGoals is the most goals a person should have at once (default 5;
	// 3 to 5 are recommended).
	MaxGoals int
	// Org attributes team and company goals to their members; without it
	// only the users a goal names count, and company goals count for each.
	Org *org.Org
	// Load lists, per user, further measured items that count towards
	// MaxGoals, such as the KPIs of their scorecards ("scorecards[0].kpis[2]").
	Load map[string][]string
	// Calendar lays out the instances of recurring goals, which run from
	// the start of the one that contains period.from to the end of the
	// last (by until or count); nil means UTC with weeks from Monday.
	Calendar *period.Calendar
}

// SortFindings sorts findings by path (indexes in numeric order), errors

// Lint checks goal definitions against the SMART rules that need no history:
// a target, an end, a positive target, something measurable, at most
// MaxGoals goals per person at once, weights that sum to 100, no duplicate
// or overlapping goals, and no zero target for a lower-is-better goal. It
// works on definitions that do not compile too. A number whose exponent is
// past ±10000, which a plan file cannot write (a Def built in Go can), is
// found first, alone, an error at its path, as Compile refuses it: the
// sum of weights of 10^1000000 and 10^-1000000 took a second, and the
// time grows with the square of the exponent.
func Lint(defs []Def, opts LintOptions) []problem.Problem {
	root := rootPath(opts.Path)
	var ps problem.List
	if !defcheck.Exponents(&ps, root, defs) {
		var out []problem.Problem
		for _, p := range ps.Err().(*problem.Error).Problems {
			p.Severity = problem.SevError
			out = append(out, *p)
		}
		return out
	}
	var out []problem.Problem
	add := func(sev problem.Severity, rule problem.Code, path, msg string) {
		out = append(out, problem.Problem{Severity: sev, Code: rule, Path: path, Msg: msg})
	}
	for i, d := range defs {
		path := fmt.Sprintf("%s[%d]", root, i)
		if d.Indicator == "" && len(d.Checklist) == 0 {
			add(problem.SevError, RuleNothingMeasurable, path+".indicator", "nothing measurable: set indicator (a quantitative goal) or checklist (a qualitative one)")
		}
		if len(d.Checklist) > 0 && !slices.ContainsFunc(d.Checklist, func(it ItemDef) bool { return !it.Manual }) {
			add(problem.SevWarning, RuleNothingMeasurable, path+".checklist", "nothing is measured from events: every checklist item is marked by hand")
		}
		if d.Period.Every.IsZero() && d.Period.To == 0 {
			add(problem.SevError, RuleNoEnd, path+".period.to", "no end: set period.to (the day after the last, for a fixed range) or period.every (a recurrence)")
		}
		if d.Indicator != "" {
			general := score.Optional(d.Target).Valid || d.TargetFormula != "" || len(d.TargetByPeriod) > 0
			if !general {
				if len(d.TargetByParticipant) == 0 {
					add(problem.SevError, RuleNoTarget, path+".target", "no target: set target, target_formula or target_by_period")
				} else {
					var missing []string
					for _, u := range d.Participants.Users {
						if _, ok := d.TargetByParticipant[u]; !ok {
							missing = append(missing, u)
						}
					}
					for _, t := range d.Participants.Teams {
						if _, ok := d.TargetByParticipant[t]; !ok && d.Participants.Mode != Each {
							missing = append(missing, t)
						}
					}
					if d.Participants.Company && d.Participants.Mode != Each {
						if _, ok := d.TargetByParticipant[org.Everyone]; !ok {
							missing = append(missing, org.Everyone)
						}
					}
					if len(missing) > 0 {
						add(problem.SevError, RuleNoTarget, path+".target", "no target for "+strings.Join(missing, ", ")+": set target or target_by_participant for them")
					}
				}
			}
		}
		dir := d.Direction
		check := func(p string, t decimal.Decimal) {
			switch {
			case dir == score.LowerIsBetter && t.Sign() < 0:
				add(problem.SevError, RuleBadTarget, p, fmt.Sprintf("target %s is negative", formatNumber(t)))
			case dir == score.LowerIsBetter && t.Sign() == 0:
				add(problem.SevWarning, RuleLowerZero, p, "a lower-is-better goal with a target of 0 is met only by 0: its achievement is all or nothing")
			case dir != score.LowerIsBetter && t.Sign() <= 0:
				add(problem.SevError, RuleBadTarget, p, fmt.Sprintf("target %s is not positive", formatNumber(t)))
			}
		}
		if score.Optional(d.Target).Valid {
			check(path+".target", score.Optional(d.Target).Decimal)
		}
		for _, k := range slices.Sorted(maps.Keys(d.TargetByPeriod)) {
			check(path+".target_by_period."+k, d.TargetByPeriod[k])
		}
		for _, k := range slices.Sorted(maps.Keys(d.TargetByParticipant)) {
			check(path+".target_by_participant."+k, d.TargetByParticipant[k])
		}
	}
	cal := opts.Calendar
	if cal == nil {
		cal, _ = period.LoadCalendar("UTC")
	}
	spans := make([][2]date.Date, len(defs))
	for i, d := range defs {
		spans[i][0], spans[i][1] = span(d.Period, cal)
	}
	out = append(out, lintLoad(defs, spans, root, opts)...)
	out = append(out, lintOverlaps(defs, spans, root)...)
	return problem.Sort(out)
}

// span is the dates a goal runs, [from, to), to zero when it never ends:
// a fixed range, or a recurrence from the start of its first instance (the
// one that contains from) to the end of its last, the last that starts
// before until or the count-th.
func span(d PeriodDef, cal *period.Calendar) (from, to date.Date) {
	if d.Every.IsZero() {
		return d.From, d.To
	}
	from, to = d.From, d.Until
	r := period.Recurrence{Grain: d.Every, Every: d.Interval, Anchor: d.From, Until: d.Until, Count: d.Count}
	if occ, err := cal.Occurrences(r, d.From, d.From+1); err == nil && len(occ) > 0 {
		from = occ[0].Start
	}
	if d.Until == 0 && d.Count == 0 {
		return from, 0
	}
	bound := d.Until
	if bound == 0 {
		// Far enough for count instances of every periods each; a
		// recurrence of more than a century runs on.
		days := int64(400)
		if n, fixed := d.Every.Length(); fixed {
			days = max(days, int64(n))
		}
		if int64(d.Count)*int64(max(d.Interval, 1))*days > period.MaxDays {
			return from, 0
		}
		bound = from + date.Date(int64(d.Count)*int64(max(d.Interval, 1))*days)
	}
	if bound <= from {
		return from, to
	}
	occ, err := cal.Occurrences(r, from, bound)
	switch {
	case err != nil:
		return from, to
	case len(occ) == 0:
		return from, from
	}
	return from, occ[len(occ)-1].End
}

func spansOverlap(a, b [2]date.Date) bool {
	af, at := a[0], a[1]
	bf, bt := b[0], b[1]
	return (at == 0 || bf < at) && (bt == 0 || af < bt)
}

// people returns the users a goal is for: named users, and with an org the
// members of its teams and the company.
func people(d Def, org *org.Org, everyone []string) []string {
	out := slices.Clone(d.Participants.Users)
	all := period.Period{Start: 1, End: date.Max()}
	if org != nil {
		for _, t := range d.Participants.Teams {
			out = append(out, org.Members(t, all)...)
		}
		if d.Participants.Company {
			out = append(out, org.Users(all)...)
		}
	} else if d.Participants.Company {
		out = append(out, everyone...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// lintLoad checks how many goals each person has at once and how their
// weights add up.
func lintLoad(defs []Def, spans [][2]date.Date, root string, opts LintOptions) []problem.Problem {
	maxGoals := opts.MaxGoals
	if maxGoals <= 0 {
		maxGoals = 5
	}
	var everyone []string
	for _, d := range defs {
		everyone = append(everyone, d.Participants.Users...)
	}
	slices.Sort(everyone)
	everyone = slices.Compact(everyone)
	byPerson := map[string][]int{}
	for i, d := range defs {
		if d.State == StateDraft {
			continue
		}
		for _, u := range people(d, opts.Org, everyone) {
			byPerson[u] = append(byPerson[u], i)
		}
	}
	for u := range opts.Load {
		if _, ok := byPerson[u]; !ok {
			byPerson[u] = nil
		}
	}
	var out []problem.Problem
	for _, u := range slices.Sorted(maps.Keys(byPerson)) {
		idx := byPerson[u]
		// The most goals that run at the same time: the most spans that
		// contain the start of one of them.
		covers := func(j, i int) bool {
			fi := spans[i][0]
			fj, tj := spans[j][0], spans[j][1]
			return fj <= fi && (tj == 0 || fi < tj)
		}
		most, at := 0, -1
		for _, i := range idx {
			n := 0
			for _, j := range idx {
				if covers(j, i) {
					n++
				}
			}
			if n > most {
				most, at = n, i
			}
		}
		var names []string
		for _, j := range idx {
			if at >= 0 && covers(j, at) {
				names = append(names, fmt.Sprintf("%s[%d] %s", root, j, defs[j].ID))
			}
		}
		extra := opts.Load[u]
		if len(names)+len(extra) > maxGoals {
			what := "goals"
			if len(extra) > 0 {
				what = "goals and KPIs"
			}
			all := append(names, extra...)
			out = append(out, problem.Problem{Severity: problem.SevWarning, Code: RuleTooMany, Path: root,
				Msg: fmt.Sprintf("%s has %d %s at once (3 to %d are recommended): %s", u, len(all), what, maxGoals, strings.Join(all, ", "))})
		}
		// Weights: of the goals that run at the same time, at the start
		// of each; the first set that does not sum to 100 is told.
		var seen [][]int
		for _, i := range idx {
			var set []int
			for _, j := range idx {
				if covers(j, i) {
					set = append(set, j)
				}
			}
			if slices.ContainsFunc(seen, func(o []int) bool { return slices.Equal(o, set) }) {
				continue
			}
			seen = append(seen, set)
			if msg, ok := weightsOff(defs, set, root, u); ok {
				out = append(out, problem.Problem{Severity: problem.SevWarning, Code: RuleWeights, Path: root, Msg: msg})
				break
			}
		}
	}
	return out
}

// weightsOff says how the weights of the goals set (indexes of defs, all
// of user u at once) miss 100, when some have a weight.
func weightsOff(defs []Def, set []int, root, u string) (string, bool) {
	var weighted, unweighted []string
	sum := decimal.Zero
	for _, j := range set {
		if w := defs[j].Weight; score.Optional(w).Valid {
			sum = sum.Add(score.Optional(w).Decimal)
			weighted = append(weighted, fmt.Sprintf("%s[%d] %s", root, j, formatNumber(score.Optional(w).Decimal)))
		} else {
			unweighted = append(unweighted, fmt.Sprintf("%s[%d]", root, j))
		}
	}
	if len(weighted) == 0 || (sum.Equal(hundred) && len(unweighted) == 0) {
		return "", false
	}
	msg := fmt.Sprintf("the weights of %s's goals sum to %s, not 100: %s", u, formatNumber(sum), strings.Join(weighted, ", "))
	if len(unweighted) > 0 {
		msg += "; without a weight: " + strings.Join(unweighted, ", ")
	}
	return msg, true
}

// lintOverlaps finds goals on the same indicator, filter and participants
// whose periods overlap.
func lintOverlaps(defs []Def, spans [][2]date.Date, root string) []problem.Problem {
	var out []problem.Problem
	for j, b := range defs {
		if b.Indicator == "" || b.State == StateDraft {
			continue
		}
		for i, a := range defs[:j] {
			if a.Indicator != b.Indicator || a.Filter != b.Filter || a.State == StateDraft || !spansOverlap(spans[i], spans[j]) {
				continue
			}
			var shared []string
			for _, u := range b.Participants.Users {
				if slices.Contains(a.Participants.Users, u) {
					shared = append(shared, u)
				}
			}
			for _, t := range b.Participants.Teams {
				if slices.Contains(a.Participants.Teams, t) {
					shared = append(shared, t)
				}
			}
			if a.Participants.Company && b.Participants.Company {
				shared = append(shared, "the company")
			}
			if len(shared) == 0 {
				continue
			}
			verb := "overlaps"
			if sameGoal(a, b) {
				verb = "duplicates"
			}
			out = append(out, problem.Problem{Severity: problem.SevWarning, Code: RuleOverlap, Path: fmt.Sprintf("%s[%d]", root, j),
				Msg: fmt.Sprintf("%s %s[%d] (%s): same indicator %s for %s in overlapping periods", verb, root, i, a.ID, b.Indicator, strings.Join(shared, ", "))})
		}
	}
	return out
}

// sameGoal reports whether two goals differ only in id, name and
// description.
func sameGoal(a, b Def) bool {
	a.ID, a.Name, a.Description = "", "", ""
	b.ID, b.Name, b.Description = "", "", ""
	return fmt.Sprintf("%#v", a) == fmt.Sprintf("%#v", b)
}

// HistoryOptions tune the lint rules that read history.
type HistoryOptions struct {
	// AsOf is the instant of the check: the goal instance that contains it
	// (or the first one after it) is compared with the periods before it.
	AsOf time.Time
	// Periods is how many earlier periods are read (default 12).
	Periods int
	// Factor is how far beyond the best earlier period a target may go
	// before it is flagged (default 2: twice the best).
	Factor decimal.Decimal
	// MinChance is the probability of reaching it below which the target
	// of a goal with a chance section is flagged (default 0.05).
	MinChance decimal.Decimal
	// Org, Rates and BudgetRates are as for evaluation.
	Org         *org.Org
	Rates       kpi.Rates
	BudgetRates kpi.Rates
	// Path prefixes paths; default "goals".
	Path string
}

// LintHistory checks the goals against the events of tab (a kpi.Snapshot
// holding the kinds of Set.Kinds): a target far
// beyond the best of the earlier periods ("target 1 200 000 is 3.1× the
// best month of the last 12 (385 000)") and a filter or checklist item that
// matched no event of the history although events of its kinds exist.
func (s *Set) LintHistory(ctx context.Context, tab *kpi.Table, opts HistoryOptions) ([]problem.Problem, error) {
	if opts.AsOf.IsZero() {
		return nil, fmt.Errorf("goal: lint history needs an as-of instant")
	}
	root := rootPath(opts.Path)
	n := opts.Periods
	if n <= 0 {
		n = 12
	}
	factor := opts.Factor
	if factor.Sign() <= 0 {
		factor = decimal.NewFromInt(2)
	}
	minChance := opts.MinChance
	if minChance.Sign() <= 0 {
		minChance = decimal.RequireFromString("0.05")
	}
	req := Request{AsOf: opts.AsOf, Org: opts.Org, Rates: opts.Rates, BudgetRates: opts.BudgetRates}
	e, err := s.newEvaluator(ctx, tab, &req)
	if err != nil {
		return nil, err
	}
	today := s.cal.Date(opts.AsOf)
	var insts []*inst
	for _, g := range s.goals {
		if g.def.State == StateDraft {
			continue
		}
		p, ok := g.current(s.cal, today)
		if !ok {
			continue
		}
		in, err := e.instance(g, p)
		if errors.Is(err, ErrNoDirectory) {
			continue // without a directory, team goals are not checked
		}
		if err != nil {
			return nil, err
		}
		insts = append(insts, in)
	}
	// The filter checks count events over the whole window of each goal.
	checks := s.filterChecks(insts, n)
	var checkSet *kpi.Set
	if len(checks.defs) > 0 {
		checkSet, err = kpi.Compile(checks.defs, kpi.Env{Attributes: s.attrs, Calendar: s.cal})
		if err != nil {
			return nil, fmt.Errorf("goal: lint: %w", err)
		}
	}
	v := variant{asOf: opts.AsOf}
	type cell struct {
		in     *inst
		sj     subject
		target decimal.NullDecimal
		hist   []decimal.NullDecimal
		sg     forecast.Suggestion
		sgOK   bool
	}
	measureAll := func() []cell {
		var cells []cell
		for _, in := range insts {
			for _, sj := range in.measured() {
				c := cell{in: in, sj: sj, target: e.targetOf(in.g, sj, in.p, v)}
				for k := 1; k <= n; k++ {
					a, _ := e.measure(in.g, sj, back(s.cal, in.p, k), v)
					c.hist = append(c.hist, a)
				}
				if in.g.chance != nil {
					c.sg, c.sgOK = e.suggest(in.g, sj, in.p, v, n, decimal.RequireFromString("0.5"), one)
				}
				cells = append(cells, c)
			}
		}
		return cells
	}
	measureAll()
	var out []problem.Problem
	if ok, err := e.fetch(ctx, tab, insts); !ok || err != nil {
		if err != nil {
			err = fmt.Errorf("goal lint: the %d periods before each goal's: %w", n, err)
		}
		return nil, err
	}
	for _, c := range measureAll() {
		if f, ok := beyondHistory(s.cal, c.in, c.sj, c.target, c.hist, factor, root); ok {
			out = append(out, f)
		}
		if f, ok := unlikely(s.cal, c.in, c.sj, c.sg, c.sgOK, minChance); ok {
			out = append(out, f)
		}
	}
	if checkSet != nil {
		found, err := checks.run(ctx, tab, checkSet, s.cal, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return problem.Sort(out), nil
}

// current returns the goal's instance that contains the date, or the first
// one after it, or the last one before it.
func (g *Goal) current(cal *period.Calendar, d date.Date) (period.Period, bool) {
	if g.rec == nil {
		return g.fixed, !g.fixed.IsZero()
	}
	occ, err := cal.Occurrences(*g.rec, d, d+1)
	if err == nil && len(occ) > 0 {
		return occ[0], true
	}
	occ, err = cal.Occurrences(*g.rec, d, d+period.MaxDays)
	if err == nil && len(occ) > 0 {
		return occ[0], true
	}
	occ, err = cal.Occurrences(*g.rec, g.def.Period.From, d+1)
	if err == nil && len(occ) > 0 {
		return occ[len(occ)-1], true
	}
	return period.Period{}, false
}

func beyondHistory(cal *period.Calendar, in *inst, sj subject, target decimal.NullDecimal, hist []decimal.NullDecimal, factor decimal.Decimal, root string) (problem.Problem, bool) {
	g := in.g
	if !target.Valid || len(g.items) > 0 {
		return problem.Problem{}, false
	}
	var best decimal.NullDecimal
	nonZero := false
	for _, h := range hist {
		if !h.Valid {
			continue
		}
		if !h.Decimal.IsZero() {
			nonZero = true
		}
		if !best.Valid || (g.dir == score.LowerIsBetter) == (decimalx.Cmp(h.Decimal, best.Decimal) < 0) {
			best = h
		}
	}
	if !best.Valid || !nonZero {
		return problem.Problem{}, false
	}
	t, b := target.Decimal, best.Decimal
	noun := grainNoun(cal, in.p)
	who := ""
	if sj.kind != Company || sj.id != org.Everyone {
		who = " for " + sj.id
	}
	// How far beyond the best the target goes, in the goal's direction.
	num, den, below := t, b, ""
	if g.dir == score.LowerIsBetter {
		if t.Sign() <= 0 {
			return problem.Problem{}, false
		}
		num, den, below = b, t, " below"
	}
	if den.Sign() <= 0 {
		return problem.Problem{}, false
	}
	ratio, beyond := beyondFactor(num, den, factor)
	if !beyond {
		return problem.Problem{}, false
	}
	return problem.Problem{Severity: problem.SevWarning, Code: RuleBeyondHistory, Path: g.path + ".target",
		Msg: fmt.Sprintf("target %s%s is %s×%s the best %s of the last %d (%s)", formatNumber(t), who, ratio, below, noun, len(hist), formatNumber(b))}, true
}

// beyondFactor reports whether num/den (both positive) is above factor,
// and the ratio as the message writes it: to one place (3.1), or
// shortened where it is past 40 characters whole (1e20000). A quotient
// without a decimal's 32-bit exponent (numbers near ±2^31 apart) is
// compared by its order of magnitude, q·10^e with q the quotient of the
// coefficients and e in 64 bits, and written in scientific form
// (1e4294967295), where it was taken for 0, below any factor.
func beyondFactor(num, den, factor decimal.Decimal) (string, bool) {
	if r, ok := decimalx.Div(num, den); ok {
		if decimalx.Cmp(r, factor) <= 0 {
			return "", false
		}
		if s := display.Number(r); strings.IndexByte(s, 'e') >= 0 {
			return s, true // shortened: its exponent may be far from 0
		}
		return r.Round(1).StringFixed(1), true
	}
	// The coefficients' quotient is defined: both exponents are 0.
	q, _ := decimalx.Div(decimal.NewFromBigInt(num.Coefficient(), 0), decimal.NewFromBigInt(den.Coefficient(), 0))
	e := int64(q.Exponent()) + int64(num.Exponent()) - int64(den.Exponent()) // the exponent of q's last digit
	oq, of := int64(q.NumDigits())+e, int64(factor.NumDigits())+int64(factor.Exponent())
	if oq < of {
		return "", false
	}
	// The same order of magnitude: the exponents differ by at most the
	// digits.
	if oq == of && decimalx.Cmp(decimal.NewFromBigInt(q.Coefficient(), int32(e-int64(factor.Exponent()))), decimal.NewFromBigInt(factor.Coefficient(), 0)) <= 0 {
		return "", false
	}
	digits := q.Coefficient().Text(10)
	last := strings.TrimRight(digits, "0")
	return display.Scientific(last, strconv.FormatInt(e+int64(len(digits))-1, 10)), true
}

// grainNoun names a period's kind for messages: month, week, quarter…
func grainNoun(cal *period.Calendar, p period.Period) string {
	if cal.Containing(p.Grain, p.Start) == p {
		switch p.Grain {
		case period.Day, period.Week, period.Month, period.Quarter, period.Year:
			return p.Grain.String()
		case period.FiscalQuarter:
			return "fiscal quarter"
		case period.FiscalYear:
			return "fiscal year"
		}
	}
	return fmt.Sprintf("period of %d days", p.Days())
}

// filterCheck is one count a filter check compares: events of kinds passing
// the indicator's where (base) and also the goal's filter (filtered).
type filterCheck struct {
	path, what     string
	base, filtered string // indicator ids in the check set
	kinds          []string
	window         period.Period
}

type filterChecks struct {
	defs    []kpi.IndicatorDef
	list    []filterCheck
	windows []period.Period
}

// filterChecks lists the count indicators that tell whether each goal
// filter and checklist where matched an event of the window: the n periods
// before the instance and the instance itself.
func (s *Set) filterChecks(insts []*inst, n int) filterChecks {
	var fc filterChecks
	indByID := map[string]kpi.IndicatorDef{}
	for _, ix := range s.views[0].Indicators() {
		indByID[ix.ID()] = ix.Def
	}
	add := func(path, what string, kinds []string, baseWhere, where string, w period.Period) {
		k := len(fc.list)
		c := filterCheck{path: path, what: what, base: fmt.Sprintf("b%d", k), filtered: fmt.Sprintf("f%d", k), kinds: kinds, window: w}
		fc.defs = append(fc.defs,
			kpi.IndicatorDef{ID: c.base, Kinds: kinds, Where: baseWhere, Aggregate: "count"},
			kpi.IndicatorDef{ID: c.filtered, Kinds: kinds, Where: where, Aggregate: "count"})
		fc.list = append(fc.list, c)
		fc.windows = append(fc.windows, w)
	}
	for _, in := range insts {
		g := in.g
		w := period.Period{Grain: period.Days(int(in.p.End - back(s.cal, in.p, n).Start)), Start: back(s.cal, in.p, n).Start, End: in.p.End}
		if g.def.Filter != "" {
			for _, d := range eventDeps(indByID, g.def.Indicator) {
				where := g.def.Filter
				if d.Where != "" {
					where = "(" + d.Where + ") && (" + g.def.Filter + ")"
				}
				add(g.path+".filter", "indicator "+d.ID, d.Kinds, d.Where, where, w)
			}
		}
		for j, it := range g.items {
			if it.def.Manual || it.def.Where == "" || s.items == nil {
				continue
			}
			ix, ok := s.items.Lookup(it.id)
			if !ok {
				continue
			}
			add(fmt.Sprintf("%s.checklist[%d].where", g.path, j), "item "+it.def.ID, ix.Def.Kinds, "", it.def.Where, w)
		}
	}
	return fc
}

// eventDeps returns the event indicators an indicator reads, itself
// included, in id order.
func eventDeps(byID map[string]kpi.IndicatorDef, id string) []kpi.IndicatorDef {
	ids := slices.Sorted(maps.Keys(byID))
	env := formula.IndicatorEnv(ids...)
	seen := map[string]bool{}
	var out []kpi.IndicatorDef
	var walk func(id string)
	walk = func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		d, ok := byID[id]
		if !ok {
			return
		}
		if d.Formula == "" {
			out = append(out, d)
			return
		}
		p, err := formula.Compile(d.Formula, env, formula.TypeNumber)
		if err != nil {
			return
		}
		for _, r := range p.Refs() {
			if !r.Func {
				walk(r.Name)
			}
		}
	}
	walk(id)
	slices.SortFunc(out, func(a, b kpi.IndicatorDef) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func (fc filterChecks) run(ctx context.Context, tab *kpi.Table, set *kpi.Set, cal *period.Calendar, opts HistoryOptions) ([]problem.Problem, error) {
	var out []problem.Problem
	for _, c := range fc.list {
		req := kpi.Request{Calendar: cal, Periods: []period.Period{c.window}, AsOf: opts.AsOf, Rates: opts.Rates, BudgetRates: opts.BudgetRates}
		res, err := set.EvaluateTable(ctx, tab, req)
		if err != nil {
			return nil, err
		}
		b, _ := res.Value(c.base, org.Everyone, c.window)
		f, _ := res.Value(c.filtered, org.Everyone, c.window)
		if b.Valid && f.Valid && b.Decimal.Sign() > 0 && f.Decimal.IsZero() {
			out = append(out, problem.Problem{Severity: problem.SevWarning, Code: RuleFilterNoMatch, Path: c.path,
				Msg: fmt.Sprintf("matched no event of the history (%s: %s event(s) of kinds %s from %s to %s, none passes)",
					c.what, b.Decimal, strings.Join(c.kinds, ", "), c.window.Start, c.window.End-1)})
		}
	}
	return out, nil
}

// formatNumber writes a number for people, its whole part grouped in
// thousands with spaces: 1 200 000, 385 000.5; a number past 40
// characters shortened (display.Number), not grouped.
func formatNumber(d decimal.Decimal) string {
	s := display.Number(d)
	if strings.IndexByte(s, 'e') >= 0 {
		return s // shortened: 1e-10000, 1.234567890123456…e29
	}
	return display.Grouped(s)
}

package goalkit

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
)

// Evaluate computes the plan's report from the events of src as of the
// instant asOf: events after asOf are not counted. It reads src once, into
// one snapshot that every section of the report reads (kpi.Snapshot), and
// the directory of WithDirectory once. A plan of indicators only is
// aggregated in the database when src is a kpi.Pusher that can. The zero
// asOf, and one outside the years 0000 to 9999 (in UTC or in its own
// zone), which RFC 3339 cannot write, is an error naming Evaluate and
// asOf, as for every entry point of a report.
func (p *Plan) Evaluate(ctx context.Context, src kpi.Source, asOf time.Time, opts ...EvalOption) (*Report, error) {
	if err := needAsOf("Evaluate", "asOf", asOf); err != nil {
		return nil, err
	}
	c := p.config(asOf, opts)
	if err := p.loadOrg(ctx, &c); err != nil {
		return nil, err
	}
	if _, ok := src.(kpi.Pusher); ok && p.valuesOnly() && p.statsDef(&c) == nil {
		res, err := p.indicators.Evaluate(ctx, src, c.req)
		if err != nil {
			return nil, err
		}
		return p.newReport(asOf, res), nil
	}
	var rep *Report
	err := p.snapshot(ctx, src, func(tab *kpi.Table) error {
		var err error
		rep, err = p.report(ctx, tab, nil, &c)
		return err
	})
	return rep, err
}

// needAsOf refuses the zero instant as the as-of argument arg of the entry
// point fn, naming both: a report, an explanation or a closing is as of an
// instant the host gives (time.Now() for now). Zero is no instant: kpi
// would read it as no limit and count every event in a report "as of
// 0001-01-01", and goal refuses it naming a request the host never built.
// An instant outside the years 0000 to 9999, in UTC or in its own zone, is
// refused too: RFC 3339 cannot write it, and the report's JSON, a closed
// goal's record and the ledger write it so (a tracker that committed a
// record closed in the year 10000 could read no report again).
func needAsOf(fn, arg string, asOf time.Time) error {
	if asOf.IsZero() {
		return fmt.Errorf("goalkit: %s: %s is the zero time (0001-01-01 00:00 UTC), not an instant: give the instant of the report (time.Now() for now)", fn, arg)
	}
	for _, y := range [...]int{asOf.Year(), asOf.UTC().Year()} {
		if y < 0 || y > 9999 {
			return fmt.Errorf("goalkit: %s: %s %s is outside the years 0000 to 9999, which RFC 3339 (the report's JSON, the closed records, the ledger) writes", fn, arg, asOf.Format(time.RFC3339Nano))
		}
	}
	return nil
}

// valuesOnly reports whether the plan has only indicators.
func (p *Plan) valuesOnly() bool {
	return p.scoring.Empty() && p.goals == nil && p.cascades == nil
}

// kinds returns every event kind a section of the plan reads, sorted.
func (p *Plan) kinds() []string {
	ks := slices.Clone(p.indicators.Kinds())
	if p.goals != nil {
		ks = append(ks, p.goals.Kinds()...)
	}
	if p.cascades != nil {
		ks = append(ks, p.cascades.Kinds()...)
	}
	slices.Sort(ks)
	return slices.Compact(ks)
}

// snapshot reads the events of every kind the plan reads from src once, and
// calls fn with them.
func (p *Plan) snapshot(ctx context.Context, src kpi.Source, fn func(*kpi.Table) error) error {
	return kpi.Snapshot(ctx, src, p.cal.Location(), kpi.Query{Kinds: p.kinds()}, fn)
}

// loadOrg reads the directory of WithDirectory, once per report, and adds
// a row for each of its units to the values: the group of the people who
// belonged to the unit or a unit below it, each on their own dates, over
// the report's range (a group of WithGroups of the same id stays; a unit
// whose id is also an actor's has no row, the actor's row is the actor's,
// and the values warn of it: kpi's participants). When
// the indicators read dates before the range (a window, a value to date,
// a cohort, prev()), the memberships before it are kept as they were: a
// member who belonged for the whole range but joined before it, within
// the window, counts from the day they joined, not from the window's
// start. The scorecards read every membership, uncut: a streak badge
// reads periods before the range, a competition periods of its own. Every
// evaluation calls it first: it refuses bad options first (optionsErr).
func (p *Plan) loadOrg(ctx context.Context, c *evalConfig) error {
	if err := p.optionsErr(c); err != nil {
		return err
	}
	if c.goals.directory == nil || c.org != nil {
		return nil
	}
	o, err := org.Load(ctx, c.goals.directory)
	if err != nil {
		return err
	}
	c.org = o
	from, to := p.reportRange(c)
	given := c.req.Groups
	read := from
	if p.readsBefore() {
		read = 0
	}
	c.req.Groups = withUnits(given, o.Groups(read, to))
	// The scorecards read periods outside the range too (a streak badge's
	// periods before it, a competition's own), and a member belongs to
	// each period by the dates they belonged: the groups are not cut at
	// the range, where a member who left within it was absent from the
	// periods before, and one who joined at its start present in them.
	if !p.scoring.Empty() {
		c.scoreGroups = withUnits(given, o.Groups(0, 0))
	}
	return nil
}

// withUnits returns the groups given, then the units' groups whose ids
// they do not have.
func withUnits(given, units []org.Group) []org.Group {
	out := slices.Clone(given)
	for _, g := range units {
		if !slices.ContainsFunc(given, func(h org.Group) bool { return h.ID == g.ID }) {
			out = append(out, g)
		}
	}
	return out
}

// readsBefore reports whether the plan's indicators read events dated
// before the periods they report: windows, values to date, cohorts and
// prev().
func (p *Plan) readsBefore() bool {
	return p.indicators.Lookback() > 0 || slices.ContainsFunc(p.indicators.Indicators(), func(ix *kpi.Indicator) bool {
		return ix.Def.ToDate != "" || ix.Def.Window != "" || ix.Def.Cohort != nil
	})
}

// reportRange is the dates the report covers: the report section's
// [from, to), or the span of the periods asked for.
func (p *Plan) reportRange(c *evalConfig) (from, to date.Date) {
	from, to = p.def.Report.From, p.def.Report.To
	if ps := c.req.Periods; !slices.Equal(ps, p.periods) && len(ps) > 0 {
		from, to = ps[0].Start, ps[len(ps)-1].End
	}
	return from, to
}

func (p *Plan) newReport(asOf time.Time, values *kpi.Result) *Report {
	return &Report{AsOf: asOf, Timezone: p.def.Timezone, Values: values, cal: p.cal, goals: p.def.Goals, def: &p.def}
}

// reuseValues lets the goals read the values of the report's indicators
// (goal.Request.Values) rather than evaluate the same cells again, and a
// tracker's reports keep goal rows for the next (goal.Memo); a test
// switches both off to compare.
var reuseValues = true

// report computes every section of the report over one table. values, when
// not nil, are the indicator values already known (a tracker's live ones;
// c.values says for what they were evaluated, when the goals may read
// them).
func (p *Plan) report(ctx context.Context, tab *kpi.Table, values *kpi.Result, c *evalConfig) (*Report, error) {
	if values == nil {
		var err error
		if values, err = p.indicators.EvaluateTable(ctx, tab, c.req); err != nil {
			return nil, err
		}
		c.values = &goal.Values{Result: values, AsOf: c.req.AsOf, KnownAt: c.req.KnownAt, Groups: c.req.Groups}
	}
	rep := p.newReport(c.req.AsOf, values)
	var err error
	if rep.Scores, err = p.score(ctx, tab, c); err != nil {
		return nil, err
	}
	if rep.Goals, err = p.evalGoals(ctx, tab, c.req.AsOf, c); err != nil {
		return nil, err
	}
	if rep.Cascade, err = p.evalCascades(ctx, tab, c.req.AsOf, c); err != nil {
		return nil, err
	}
	p.goalStats(rep, c)
	return rep, nil
}

// score evaluates the scorecard sections over the report's range: the
// report section's [from, to), or the span of the periods asked for. The
// departments are the groups of WithGroups and, with WithDirectory, the
// directory's units (their members at some time in the range).
func (p *Plan) score(ctx context.Context, tab *kpi.Table, c *evalConfig) (*score.Scores, error) {
	if p.scoring.Empty() {
		return nil, nil
	}
	return p.scoring.Evaluate(ctx, tab, p.scoreRequest(c))
}

// scoreRequest is the request of the scorecard sections of an evaluation.
func (p *Plan) scoreRequest(c *evalConfig) score.Request {
	from, to := p.reportRange(c)
	req := c.req
	if c.scoreGroups != nil {
		req.Groups = c.scoreGroups
	}
	return score.Request{Request: req, From: from, To: to}
}

// goalRequest is the goal request of an evaluation: the instances that
// overlap the report's range (or the span of the periods asked for).
func (p *Plan) goalRequest(asOf time.Time, c *evalConfig) goal.Request {
	from, to := p.def.Report.From, p.def.Report.To
	if ps := c.req.Periods; len(ps) > 0 {
		from, to = ps[0].Start, ps[len(ps)-1].End
	}
	return goal.Request{AsOf: asOf, From: from, To: to, Since: c.goals.since, KnownAt: c.req.KnownAt,
		Org: c.org, Rates: c.req.Rates, BudgetRates: c.req.BudgetRates,
		Records: c.goals.records, Marks: c.goals.marks, Series: c.goals.series, Workers: c.req.Workers,
		Only: c.goals.only}
}

// evalGoals evaluates the goals section; nil when the plan has no goals.
func (p *Plan) evalGoals(ctx context.Context, tab *kpi.Table, asOf time.Time, c *evalConfig) (*goal.Result, error) {
	if p.goals == nil {
		return nil, nil
	}
	req := p.goalRequest(asOf, c)
	req.AchievedAt = p.statsDef(c) != nil // the times to achievement of GoalStats
	if reuseValues {
		req.Values, req.Memo = c.values, c.memo
	}
	return p.goals.Evaluate(ctx, tab, req)
}

// evalCascades evaluates the cascades section; nil when the plan has none.
// The directory of WithDirectory gives the units their members.
func (p *Plan) evalCascades(ctx context.Context, tab *kpi.Table, asOf time.Time, c *evalConfig) (*cascade.Result, error) {
	if p.cascades == nil {
		return nil, nil
	}
	return p.cascades.Evaluate(ctx, tab, cascade.Request{AsOf: asOf, KnownAt: c.req.KnownAt, Org: c.org,
		Rates: c.req.Rates, BudgetRates: c.req.BudgetRates, Workers: c.req.Workers})
}

// CloseGoal closes the period per of a goal at the instant asOf: every
// participant's result is frozen in a record for the host to store, the next
// instance of a recurring goal gets its targets, and period_closed
// notifications are returned. Closing again with the records passed
// (WithRecords) gives the same result. It reads src once and commits
// nothing anywhere: keeping the records and telling the notifications once
// is the host's (a tracker's CloseGoal commits them to its store and says
// what it committed).
func (p *Plan) CloseGoal(ctx context.Context, src kpi.Source, asOf time.Time, goalID string, per period.Period, opts ...EvalOption) (*goal.Closing, error) {
	if p.goals == nil {
		return nil, fmt.Errorf("the plan has no goals")
	}
	if err := needAsOf("CloseGoal", "asOf", asOf); err != nil {
		return nil, err
	}
	c := p.config(asOf, opts)
	if err := p.loadOrg(ctx, &c); err != nil {
		return nil, err
	}
	var cl *goal.Closing
	err := p.snapshot(ctx, src, func(tab *kpi.Table) error {
		var err error
		cl, err = p.goals.Close(ctx, tab, p.goalRequest(asOf, &c), goalID, per)
		return err
	})
	return cl, err
}

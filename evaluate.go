package goalkit

import (
	"context"
	"slices"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
)

// EvalOption adjusts one evaluation.
type EvalOption func(*evalConfig)

type evalConfig struct {
	req   kpi.Request
	goals goalConfig
	// org is the directory read once for the report (nil without one).
	org *org.Org
	// explainLimit caps the excluded events of an explanation per reason.
	explainLimit int
}

// config returns the evaluation settings of the plan as of asOf with opts.
func (p *Plan) config(asOf time.Time, opts []EvalOption) evalConfig {
	c := evalConfig{req: kpi.Request{Calendar: p.cal, Periods: p.periods, AsOf: asOf}}
	if p.budget != nil {
		c.req.BudgetRates = p.budget
	}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// WithRates supplies exchange rates for money indicators with a currency.
func WithRates(r kpi.Rates) EvalOption { return func(c *evalConfig) { c.req.Rates = r } }

// WithParticipants reports these participants even when they have no events
// (a directory's users, say).
func WithParticipants(ids ...string) EvalOption {
	return func(c *evalConfig) { c.req.Participants = append(c.req.Participants, ids...) }
}

// WithGroups adds team rows whose values are computed from their members'
// events together.
func WithGroups(gs ...org.Group) EvalOption {
	return func(c *evalConfig) { c.req.Groups = append(c.req.Groups, gs...) }
}

// WithPeriods reports these periods instead of the plan's report section.
func WithPeriods(ps ...period.Period) EvalOption {
	return func(c *evalConfig) { c.req.Periods = ps }
}

// WithKnownAt counts only the event versions known at t: what the report
// said then.
func WithKnownAt(t time.Time) EvalOption { return func(c *evalConfig) { c.req.KnownAt = t } }

// WithWorkers sets how many goroutines scan (default GOMAXPROCS).
func WithWorkers(n int) EvalOption { return func(c *evalConfig) { c.req.Workers = n } }

// Evaluate computes the plan's report from the events of src as of the
// instant asOf: events after asOf are not counted. It reads src once, into
// one snapshot that every section of the report reads (kpi.Snapshot), and
// the directory of WithDirectory once. A plan of indicators only is
// aggregated in the database when src is a kpi.Pusher that can.
func (p *Plan) Evaluate(ctx context.Context, src kpi.Source, asOf time.Time, opts ...EvalOption) (*Report, error) {
	c := p.config(asOf, opts)
	if err := p.loadOrg(ctx, &c); err != nil {
		return nil, err
	}
	if _, ok := src.(kpi.Pusher); ok && p.valuesOnly() {
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

// loadOrg reads the directory of WithDirectory, once per report.
func (p *Plan) loadOrg(ctx context.Context, c *evalConfig) error {
	if c.goals.directory == nil || c.org != nil {
		return nil
	}
	o, err := org.Load(ctx, c.goals.directory)
	if err != nil {
		return err
	}
	c.org = o
	return nil
}

func (p *Plan) newReport(asOf time.Time, values *kpi.Result) *Report {
	return &Report{AsOf: asOf, Timezone: p.def.Timezone, Values: values, cal: p.cal}
}

// report computes every section of the report over one table. values, when
// not nil, are the indicator values already known (a tracker's live ones).
func (p *Plan) report(ctx context.Context, tab *kpi.Table, values *kpi.Result, c *evalConfig) (*Report, error) {
	if values == nil {
		var err error
		if values, err = p.indicators.EvaluateTable(ctx, tab, c.req); err != nil {
			return nil, err
		}
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
	return rep, nil
}

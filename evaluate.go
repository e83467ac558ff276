package goalkit

import (
	"context"
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
// instant asOf: events after asOf are not counted. It reads src once.
func (p *Plan) Evaluate(ctx context.Context, src kpi.Source, asOf time.Time, opts ...EvalOption) (*Report, error) {
	c := evalConfig{req: kpi.Request{Calendar: p.cal, Periods: p.periods, AsOf: asOf}}
	if p.budget != nil {
		c.req.BudgetRates = p.budget
	}
	for _, o := range opts {
		o(&c)
	}
	res, err := p.indicators.Evaluate(ctx, src, c.req)
	if err != nil {
		return nil, err
	}
	rep := &Report{AsOf: asOf, Timezone: p.def.Timezone, Values: res, cal: p.cal}
	if rep.Scores, err = p.score(ctx, src, &c); err != nil {
		return nil, err
	}
	if rep.Goals, err = p.evalGoals(ctx, src, asOf, &c); err != nil {
		return nil, err
	}
	if rep.Cascade, err = p.evalCascades(ctx, src, asOf, &c); err != nil {
		return nil, err
	}
	return rep, nil
}

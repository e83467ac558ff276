package goalkit

import (
	"context"
	"errors"
	"time"

	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
)

// Backtest replays the forecasts of the plan's goals over the past periods
// in req and scores every forecast method against what really happened
// (goal.Set.Backtest): the evidence for choosing a goal's forecast method on
// the host's own data. req.End defaults to asOf, and req.Org to the
// directory of WithDirectory. It reads src once.
func (p *Plan) Backtest(ctx context.Context, src kpi.Source, asOf time.Time, req goal.BacktestRequest, opts ...EvalOption) (*forecast.Backtest, error) {
	if p.goals == nil {
		return nil, errors.New("goalkit: backtest: the plan has no goals")
	}
	if err := needAsOf("Backtest", "asOf", asOf); err != nil {
		return nil, err
	}
	if req.End.IsZero() {
		req.End = asOf
	}
	if err := p.historyInputs(ctx, asOf, opts, &req.Org, &req.Rates, &req.BudgetRates); err != nil {
		return nil, err
	}
	var bt *forecast.Backtest
	err := p.snapshot(ctx, src, func(tab *kpi.Table) error {
		var err error
		bt, err = p.goals.Backtest(ctx, tab, req)
		return err
	})
	return bt, err
}

// Suggest proposes the targets of the plan's goals for their coming period
// from the history in src (goal.Set.Suggest), each with its probability of
// being reached. req.AsOf defaults to asOf, and req.Org to the directory of
// WithDirectory. It reads src once.
func (p *Plan) Suggest(ctx context.Context, src kpi.Source, asOf time.Time, req goal.SuggestRequest, opts ...EvalOption) ([]forecast.Suggestion, error) {
	if p.goals == nil {
		return nil, errors.New("goalkit: suggest: the plan has no goals")
	}
	if err := needAsOf("Suggest", "asOf", asOf); err != nil {
		return nil, err
	}
	if req.AsOf.IsZero() {
		req.AsOf = asOf
	}
	if err := p.historyInputs(ctx, asOf, opts, &req.Org, &req.Rates, &req.BudgetRates); err != nil {
		return nil, err
	}
	var out []forecast.Suggestion
	err := p.snapshot(ctx, src, func(tab *kpi.Table) error {
		var err error
		out, err = p.goals.Suggest(ctx, tab, req)
		return err
	})
	return out, err
}

// historyInputs fills what a request over history leaves unset from the
// options: the directory of WithDirectory, read once, and the rates.
func (p *Plan) historyInputs(ctx context.Context, asOf time.Time, opts []EvalOption, o **org.Org, rates, budget *kpi.Rates) error {
	c := p.config(asOf, opts)
	if err := p.loadOrg(ctx, &c); err != nil {
		return err
	}
	if *o == nil {
		*o = c.org
	}
	if *rates == nil {
		*rates = c.req.Rates
	}
	if *budget == nil {
		*budget = c.req.BudgetRates
	}
	return nil
}

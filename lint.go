package goalkit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
)

// Lint checks the plan against the SMART rules of goals and returns every
// finding, errors and warnings (the plan's own warnings, Plan.Warnings,
// among them), each with its path and, when the definition was read from
// a file, its line. Problems that stop the plan from compiling
// are errors of the rule "definition". The spans of recurring goals (for
// overlaps and load) are laid out in the plan's calendar: its zone and
// week start. With a source of past events (src
// not nil), it also checks targets against the best of the 12 periods before
// asOf, filters of goals and indicators that match no event (with the values
// seen and a did-you-mean), and events that sit on UTC midnight under
// another zone (RuleUTCMidnight); with a source, the zero asOf is an error,
// as for Evaluate. The error is for failures to read the events, not for
// findings.
func Lint(ctx context.Context, def *Definition, src kpi.Source, asOf time.Time, opts ...EvalOption) ([]problem.Problem, error) {
	if src != nil {
		if err := needAsOf("Lint", "asOf", asOf); err != nil {
			return nil, err
		}
	}
	plan, err := compile(def, true)
	var compileErr *problem.Error
	if err != nil && !errors.As(err, &compileErr) {
		return nil, err
	}
	c := evalConfig{}
	for _, o := range opts {
		o(&c)
	}
	if plan != nil {
		c = plan.config(asOf, opts)
	}
	// The goals' spans in the plan's zone and weeks; a plan that does not
	// compile keeps its calendar when that has no problem of its own (those
	// are among compileErr's).
	lo := goal.LintOptions{Load: map[string][]string{}}
	if plan != nil {
		lo.Calendar = plan.cal
	} else {
		lo.Calendar = def.loadCalendar(&problem.List{})
	}
	if c.goals.directory != nil {
		o, err := org.Load(ctx, c.goals.directory)
		if err != nil {
			return nil, err
		}
		lo.Org, c.org = o, o
	}
	for i, sc := range def.Scorecards {
		users := append([]string(nil), sc.Participants...)
		if lo.Org != nil {
			for _, u := range sc.MembersOf {
				users = append(users, lo.Org.Members(u, period.Period{Start: 1, End: 1 << 30})...)
			}
		}
		for _, u := range users {
			for j, k := range sc.KPIs {
				id := k.ID
				if id == "" {
					id = k.Indicator
				}
				lo.Load[u] = append(lo.Load[u], fmt.Sprintf("scorecards[%d].kpis[%d] %s", i, j, id))
			}
		}
	}
	// The rules first: a problem both find (no end) keeps the rule's name.
	out := goal.Lint(def.Goals, lo)
	if plan != nil && plan.cascades != nil {
		out = append(out, plan.cascades.Lint()...)
	}
	if plan != nil {
		for _, w := range plan.Warnings() {
			out = append(out, *w)
		}
	}
	if compileErr != nil {
		for _, pr := range compileErr.Problems {
			out = append(out, problem.Problem{Severity: problem.SevError, Code: goal.RuleDefinition, Path: pr.Path, Msg: pr.Msg, Where: pr.Where})
		}
	}
	if plan != nil && src != nil {
		err := plan.snapshot(ctx, src, func(tab *kpi.Table) error {
			data, err := plan.lintData(ctx, tab)
			out = append(out, data...)
			if err != nil || plan.goals == nil {
				return err
			}
			hist, err := plan.goals.LintHistory(ctx, tab, goal.HistoryOptions{AsOf: asOf, Org: c.org,
				Rates: c.req.Rates, BudgetRates: plan.budget})
			out = mergeFindings(out, hist)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	for i := range out {
		if out[i].Where == "" {
			out[i].Where = strings.TrimSuffix(def.where(out[i].Path), ": ")
		}
	}
	return problem.Sort(out), nil
}

// mergeFindings adds the goal history findings to out; where out already
// holds a filter's data finding (the values seen), the history finding about
// the same filter takes it as its detail, so a filter is reported once.
func mergeFindings(out, hist []problem.Problem) []problem.Problem {
	for _, h := range hist {
		i := slices.IndexFunc(out, func(o problem.Problem) bool { return o.Path == h.Path && o.Code == h.Code })
		if i < 0 {
			out = append(out, h)
			continue
		}
		h.Msg += ": " + out[i].Msg
		out[i] = h
	}
	return out
}

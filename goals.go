package goalkit

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/goalkit/goalkit/score"
)

// compileGoals compiles the goals section of the definition.
func (p *Plan) compileGoals(ps *problem.List) {
	if len(p.def.Goals) == 0 {
		return
	}
	s, err := goal.Compile(p.def.Goals, goal.Env{Calendar: p.cal, Indicators: p.def.Indicators, Attributes: p.def.Attributes})
	ps.Merge(err)
	p.goals = s
}

// Goals returns the plan's compiled goals; nil when it has none.
func (p *Plan) Goals() *goal.Set { return p.goals }

// goalConfig holds the evaluation options of goals.
type goalConfig struct {
	directory org.Directory
	records   []goal.Record
	marks     []goal.Mark
	since     time.Time
	series    bool
}

// WithDirectory gives goals the members of the teams and departments they
// name, and the default visibility policy its heads.
func WithDirectory(d org.Directory) EvalOption { return func(c *evalConfig) { c.goals.directory = d } }

// WithRecords passes the closed goal results the host stored (see
// Plan.CloseGoal): closed instances report them, and later corrections
// follow each goal's policy.
func WithRecords(rs ...goal.Record) EvalOption {
	return func(c *evalConfig) { c.goals.records = append(c.goals.records, rs...) }
}

// WithMarks passes the manual checklist items the host marked done.
func WithMarks(ms ...goal.Mark) EvalOption {
	return func(c *evalConfig) { c.goals.marks = append(c.goals.marks, ms...) }
}

// WithNotificationsSince reports the goal notifications of the transitions
// between t and the evaluation's instant (default: since the end of the day
// before).
func WithNotificationsSince(t time.Time) EvalOption { return func(c *evalConfig) { c.goals.since = t } }

// WithSeries adds to every goal row its daily cumulative series of actual
// against plan.
func WithSeries() EvalOption { return func(c *evalConfig) { c.goals.series = true } }

// goalRequest is the goal request of an evaluation: the instances that
// overlap the report's range (or the span of the periods asked for).
func (p *Plan) goalRequest(asOf time.Time, c *evalConfig) goal.Request {
	from, to := p.def.Report.From, p.def.Report.To
	if ps := c.req.Periods; len(ps) > 0 {
		from, to = ps[0].Start, ps[len(ps)-1].End
	}
	return goal.Request{AsOf: asOf, From: from, To: to, Since: c.goals.since, KnownAt: c.req.KnownAt,
		Org: c.org, Rates: c.req.Rates, BudgetRates: c.req.BudgetRates,
		Records: c.goals.records, Marks: c.goals.marks, Series: c.goals.series, Workers: c.req.Workers}
}

// evalGoals evaluates the goals section; nil when the plan has no goals.
func (p *Plan) evalGoals(ctx context.Context, tab *kpi.Table, asOf time.Time, c *evalConfig) (*goal.Result, error) {
	if p.goals == nil {
		return nil, nil
	}
	return p.goals.Evaluate(ctx, tab, p.goalRequest(asOf, c))
}

// CloseGoal closes the period per of a goal at the instant asOf: every
// participant's result is frozen in a record for the host to store, the next
// instance of a recurring goal gets its targets, and period_closed
// notifications are returned. Closing again with the records passed
// (WithRecords) gives the same result. It reads src once.
func (p *Plan) CloseGoal(ctx context.Context, src kpi.Source, asOf time.Time, goalID string, per period.Period, opts ...EvalOption) (*goal.Closing, error) {
	if p.goals == nil {
		return nil, fmt.Errorf("the plan has no goals")
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

// Lint checks the plan against the SMART rules of goals and returns every
// finding, errors and warnings, each with its path and, when the definition
// was read from a file, its line. Problems that stop the plan from compiling
// are errors of the rule "definition". With a source of past events (src
// not nil), it also checks targets against the best of the 12 periods before
// asOf and filters that match no event. The error is for failures to read
// the events, not for findings.
func Lint(ctx context.Context, def *Definition, src kpi.Source, asOf time.Time, opts ...EvalOption) ([]goal.Finding, error) {
	plan, err := Compile(def)
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
	lo := goal.LintOptions{Load: map[string][]string{}}
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
	if compileErr != nil {
		for _, pr := range compileErr.Problems {
			out = append(out, goal.Finding{Severity: goal.SevError, Rule: goal.RuleDefinition, Path: pr.Path, Msg: pr.Msg, Where: pr.Where})
		}
	}
	if plan != nil && plan.goals != nil && src != nil {
		var hist []goal.Finding
		err := plan.snapshot(ctx, src, func(tab *kpi.Table) error {
			var err error
			hist, err = plan.goals.LintHistory(ctx, tab, goal.HistoryOptions{AsOf: asOf, Org: c.org,
				Rates: c.req.Rates, BudgetRates: plan.budget})
			return err
		})
		if err != nil {
			return nil, err
		}
		out = append(out, hist...)
	}
	for i := range out {
		if out[i].Where == "" {
			out[i].Where = strings.TrimSuffix(def.where(out[i].Path), ": ")
		}
	}
	return goal.SortFindings(out), nil
}

// ForViewer returns the report as the viewer may see it under the policy:
// the values, goal rows, notifications, corrections, scorecards, bonuses,
// badges and cascade nodes of the participants the policy lets them see (a
// user, a team, the company "*"; see cascade.Result.Prune). Leaderboards and competitions are public standings and stay
// whole. A nil policy is goal.DefaultVisibility without an organisation:
// users see their own rows and the company's; admins see everything.
func (r *Report) ForViewer(v goal.Viewer, pol goal.VisibilityPolicy) *Report {
	if pol == nil {
		pol = goal.DefaultVisibility{}
	}
	kind := func(participant string) goal.ParticipantKind {
		switch {
		case participant == org.Everyone:
			return goal.Company
		case r.Values != nil && r.Values.IsGroup(participant):
			return goal.Team
		}
		return goal.User
	}
	see := func(participant string) bool {
		return pol.CanSee(v, goal.Subject{Participant: participant, Kind: kind(participant)})
	}
	out := *r
	out.Values = r.Values.View(see)
	if r.Goals != nil {
		out.Goals = r.Goals.ForViewer(v, pol)
	}
	if r.Cascade != nil {
		out.Cascade = viewCascade(r.Cascade, v, pol)
	}
	if r.Scores != nil {
		s := *r.Scores
		s.Scorecards = keep(s.Scorecards, func(c score.Card) bool { return see(c.Participant) })
		s.Bonuses = keep(s.Bonuses, func(p score.Payout) bool { return see(p.Participant) })
		s.Badges = keep(s.Badges, func(a score.Award) bool { return see(a.Participant) })
		out.Scores = &s
	}
	return &out
}

func keep[T any](xs []T, ok func(T) bool) []T {
	var out []T
	for _, x := range xs {
		if ok(x) {
			out = append(out, x)
		}
	}
	return out
}

// appendGoals appends the goals, notifications and corrections keys of the
// JSON report.
func appendGoals(b []byte, g *goal.Result) ([]byte, error) {
	if g == nil {
		return b, nil
	}
	for _, sec := range []struct {
		key string
		v   any
		n   int
	}{{"goals", g.Rows, len(g.Rows)}, {"notifications", g.Notifications, len(g.Notifications)}, {"corrections", g.Corrections, -1}} {
		if sec.n == 0 {
			sec.v = []struct{}{}
		} else if sec.n < 0 && len(g.Corrections) == 0 {
			continue
		}
		js, err := json.MarshalIndent(sec.v, "  ", "  ")
		if err != nil {
			return nil, err
		}
		b = append(b, ",\n  "...)
		b = strconv.AppendQuote(b, sec.key)
		b = append(b, ": "...)
		b = append(b, js...)
	}
	return b, nil
}

// writeGoals writes goal progress for people to read.
func writeGoals(w *bufio.Writer, g *goal.Result) {
	if g == nil || len(g.Rows) == 0 {
		return
	}
	last := ""
	var rows [][]string
	flush := func() {
		if len(rows) > 1 {
			writeAligned(w, rows)
		}
		rows = nil
	}
	for _, r := range g.Rows {
		if h := r.Goal + " " + r.Label; h != last {
			flush()
			name := r.Name
			if name == "" {
				name = r.Goal
			}
			fmt.Fprintf(w, "\ngoal %s (%s), %s [%s, %s)\n", r.Goal, name, r.Label, r.Period.Start, r.Period.End)
			rows = [][]string{{"  participant", "target", "actual", "achievement", "expected", "forecast", "status", "rank"}}
			last = h
		}
		rank := "—"
		if r.Rank > 0 {
			rank = strconv.Itoa(r.Rank)
		}
		ach := "—"
		if r.Achievement.Capped.Valid {
			ach = r.Achievement.Capped.Decimal.Shift(2).Round(1).String() + " %"
		}
		rows = append(rows, []string{"  " + r.Participant, nullNum(r.Target), nullNum(r.Actual), ach, nullNum(r.Expected),
			nullNum(r.Forecast), strings.ReplaceAll(string(r.Status), "_", " "), rank})
	}
	flush()
	if len(g.Notifications) > 0 {
		fmt.Fprintf(w, "\nnotifications\n")
		for _, n := range g.Notifications {
			fmt.Fprintf(w, "  %s: %s\n", n.Kind, n.Message)
		}
	}
	for _, c := range g.Corrections {
		verb := "reported, not applied (freeze)"
		if c.Applied {
			verb = "restated"
		}
		fmt.Fprintf(w, "\ncorrection: %s, %s, %s: actual %s, closed with %s; %s\n", c.Goal, c.Participant, c.Period, nullNum(c.After.Actual), nullNum(c.Before.Actual), verb)
	}
}

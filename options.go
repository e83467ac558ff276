package goalkit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/goal"
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
	// seed holds the events a tracker starts from (WithSeed).
	seed kpi.Source
	// values are the report's indicator values, for the goals to read
	// (nil: the goals evaluate every value they need).
	values *goal.Values
	// memo carries the goals' work between a tracker's reports.
	memo *goal.Memo
	// scoreGroups, when set, are the groups of the scorecards: the
	// directory's units with every membership, where req.Groups keeps
	// those of the dates the values read (loadOrg).
	scoreGroups []org.Group
	// periods are those of the last WithPeriods where periodsGiven
	// (optionsErr checks them, and the ids of WithParticipants, the
	// request's participants until loadOrg).
	periods      []period.Period
	periodsGiven bool
}

// optionsErr is what kpi refuses of the participants and periods of the
// options, naming the option: kpi's own words name none. kpi's check is
// reached by an evaluation over checkOnly, which stops at the scan its
// checks of the request come before.
func (p *Plan) optionsErr(c *evalConfig) error {
	if len(c.req.Participants) > 0 {
		day := p.cal.Containing(period.Day, 0)
		if err := requestProblem(p.indicators, kpi.Request{Calendar: p.cal, Periods: []period.Period{day}, Participants: c.req.Participants}); err != nil {
			return fmt.Errorf("goalkit: WithParticipants: %w", err)
		}
	}
	if !c.periodsGiven {
		return nil
	}
	if len(c.periods) == 0 {
		return errors.New("goalkit: WithPeriods: no period given (without the option, the report section's)")
	}
	if err := requestProblem(p.indicators, kpi.Request{Calendar: p.cal, Periods: c.periods}); err != nil {
		return fmt.Errorf("goalkit: WithPeriods: %w", err)
	}
	return nil
}

// requestProblem is what kpi refuses of req for set, nil if nothing.
func requestProblem(set *kpi.Set, req kpi.Request) error {
	_, err := set.Evaluate(context.Background(), checkOnly{}, req)
	if errors.Is(err, errChecked) {
		return nil
	}
	return err
}

// checkOnly is a TableSource whose every read stops at once with
// errChecked (a table read builds no table to scan into).
type checkOnly struct{}

var errChecked = errors.New("goalkit: the request's checks passed")

func (checkOnly) Scan(context.Context, kpi.Query, func(*kpi.Event) error) error { return errChecked }

func (checkOnly) ReadTable(context.Context, func(*kpi.Table) error) error { return errChecked }

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
// (a directory's users, say): it adds rows, it does not narrow the report to
// them (see WithOnlyParticipant).
// An empty id, or "*" (the whole company's row, in every report), is
// refused by the evaluation, naming the option.
func WithParticipants(ids ...string) EvalOption {
	return func(c *evalConfig) {
		c.req.Participants = append(c.req.Participants, ids...)
	}
}

// WithOnlyParticipant narrows the goals section to one participant (a user,
// a team or the company, by the id of its goal rows), as a personal
// dashboard shows it: the goal rows, notifications and corrections of that
// participant only, each the same as in the report without the option
// (ranks among everyone). Only those rows are computed, and those of others
// whose events changed since a tracker's last report (their ranks count).
// The indicator values, scorecards and cascades are everyone's; the goal
// statistics (WithGoalStats) are those of the participant's rows, as
// Report.ForViewer computes them for what a viewer sees.
func WithOnlyParticipant(id string) EvalOption {
	return func(c *evalConfig) { c.goals.only = id }
}

// WithGroups adds team rows whose values are computed from their members'
// events together. A group whose id is also an actor's has no row (the
// actor's is the actor's; the values warn of it), and stays a department
// of the scorecards. A group given here replaces the directory's unit of
// its id; one id given twice (in one call or two) is refused.
func WithGroups(gs ...org.Group) EvalOption {
	return func(c *evalConfig) { c.req.Groups = append(c.req.Groups, gs...) }
}

// WithPeriods reports these periods instead of the plan's report section.
// They must be at least one, each not empty, in order and not
// overlapping, nor overlapping once the formulas' prev() adds the periods
// before them: the evaluation refuses others, naming the option. The last
// WithPeriods of the options is the one taken.
func WithPeriods(ps ...period.Period) EvalOption {
	return func(c *evalConfig) {
		c.req.Periods = ps
		c.periods, c.periodsGiven = ps, true
	}
}

// WithKnownAt counts only the event versions known at t: what the report
// said then.
func WithKnownAt(t time.Time) EvalOption { return func(c *evalConfig) { c.req.KnownAt = t } }

// WithWorkers sets how many goroutines scan: 0 (the default) is
// GOMAXPROCS, one fewer for a tracker's report made while it is written
// (Tracker.Report); less than 0 is GOMAXPROCS.
func WithWorkers(n int) EvalOption { return func(c *evalConfig) { c.req.Workers = n } }

// goalConfig holds the evaluation options of goals.
type goalConfig struct {
	directory org.Directory
	records   []goal.Record
	marks     []goal.Mark
	since     time.Time
	series    bool
	stats     bool // WithGoalStats
	only      string
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

// WithExplainLimit caps the excluded events Explain lists per reason; 0
// or less is the default, kpi.ExplainLimit.
func WithExplainLimit(n int) EvalOption { return func(c *evalConfig) { c.explainLimit = n } }

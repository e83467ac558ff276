package goalkit

import (
	"cmp"
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
	// participantsErr and periodsErr are what is wrong with the ids of
	// WithParticipants and the periods of the last WithPeriods
	// (optionsErr).
	participantsErr, periodsErr error
}

// optionsErr is what is wrong with the options, naming the option: kpi's
// own check of a request names none.
func (c *evalConfig) optionsErr() error { return cmp.Or(c.participantsErr, c.periodsErr) }

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
		for i, id := range ids {
			if c.participantsErr != nil {
				break
			}
			switch id {
			case "":
				c.participantsErr = fmt.Errorf("goalkit: WithParticipants: ids[%d] is empty", i)
			case org.Everyone:
				c.participantsErr = fmt.Errorf("goalkit: WithParticipants: ids[%d] is %q, the whole company's row, in every report: not a participant to name", i, id)
			}
		}
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
// overlapping: the evaluation refuses others, naming the option. The last
// WithPeriods of the options is the one taken.
func WithPeriods(ps ...period.Period) EvalOption {
	return func(c *evalConfig) {
		c.req.Periods = ps
		c.periodsErr = nil
		if len(ps) == 0 {
			c.periodsErr = errors.New("goalkit: WithPeriods: no period given (without the option, the report section's)")
		}
		for i, p := range ps {
			if p.End <= p.Start {
				c.periodsErr = fmt.Errorf("goalkit: WithPeriods: ps[%d] (%s to %s) is empty", i, p.Start, p.End)
				return
			}
			if i > 0 && p.Start < ps[i-1].End {
				c.periodsErr = fmt.Errorf("goalkit: WithPeriods: ps[%d] (%s to %s) and ps[%d] (%s to %s) overlap or are not in order", i-1, ps[i-1].Start, ps[i-1].End, i, p.Start, p.End)
				return
			}
		}
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

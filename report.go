package goalkit

import (
	"fmt"
	"time"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalstats"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
)

// Report is the outcome of Plan.Evaluate. Its JSON form is the report format
// of the file-format contract (docs/formats.md).
type Report struct {
	// AsOf is the instant the report is as of, as the caller gave it.
	AsOf time.Time
	// Timezone is the plan's IANA zone, in which events have their dates.
	Timezone string
	// Values holds the indicator values: a row per indicator, participant
	// and period, and the breakdowns, unpriced events and warnings.
	Values *kpi.Result
	// Scores holds the scorecards, bonuses, leaderboards, badges and
	// competitions; nil when the plan has no scorecards.
	Scores *score.Scores
	// Goals holds the goal rows, notifications and corrections; nil when
	// the plan has no goals.
	Goals *goal.Result
	// Cascade holds the evaluated cascades and their issues; nil when the
	// plan has none.
	Cascade *cascade.Result
	// GoalStats holds how well the goals work (counts, shares, times to
	// achievement, trends, correlations); nil unless the plan declares
	// goal_stats or the evaluation asks with WithGoalStats.
	GoalStats *goalstats.Result
	// Changes are the changes of indicators explained (ExplainChange), for
	// a report that asks for them; nil otherwise.
	Changes []*Change
	stats   *goalStatsSource
	cal     *period.Calendar
	goals   []goal.Def // the plan's, for the table writer's formats
	// def is the definition of the plan the report was evaluated from,
	// whose scores say what the participants of its cards are (ForViewer);
	// nil in a report a host made.
	def *Definition
}

// Check reports the first nil goal row, cascade tree or node or explained
// change the report holds, naming it ("the report's goals.rows[1] is
// nil"): a report a host made or cut itself may have such a hole, which
// the engine never leaves.
// The table writer refuses such a report with this error, as the dashboard
// and the exports do.
func (r *Report) Check() error {
	if r.Goals != nil {
		for i, row := range r.Goals.Rows {
			if row == nil {
				return fmt.Errorf("goalkit: the report's goals.rows[%d] is nil", i)
			}
		}
	}
	for i, c := range r.Changes {
		if c == nil {
			return fmt.Errorf("goalkit: the report's changes[%d] is nil", i)
		}
	}
	if r.Cascade == nil {
		return nil
	}
	var node func(n *cascade.Node, at string) string
	node = func(n *cascade.Node, at string) string {
		if n == nil {
			return at
		}
		for i, c := range n.Children {
			if p := node(c, fmt.Sprintf("%s.children[%d]", at, i)); p != "" {
				return p
			}
		}
		return ""
	}
	for i, t := range r.Cascade.Trees {
		at := fmt.Sprintf("cascade.trees[%d]", i)
		if t != nil {
			at = node(t.Root, at+".root")
		}
		if at != "" {
			return fmt.Errorf("goalkit: the report's %s is nil", at)
		}
	}
	return nil
}

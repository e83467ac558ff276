package goalkit

import (
	"bufio"
	"fmt"
	"strconv"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalstats"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/problem"
	"github.com/shopspring/decimal"
)

// WithGoalStats adds the goal statistics (Report.GoalStats: how well the
// goals work) to the report of a plan that does not declare them with its
// goal_stats key; without a declared business result they hold no
// correlations.
func WithGoalStats() EvalOption { return func(c *evalConfig) { c.goals.stats = true } }

// goalStatsSource is what a report's goal statistics were computed from, so
// that a viewer's report recomputes them from what the viewer may see.
type goalStatsSource struct {
	set *goal.Set
	org *org.Org
	def goalstats.Def
}

// compileGoalStats checks the goal_stats section against the plan's
// indicators.
func (p *Plan) compileGoalStats(ps *problem.List) {
	if d := p.def.GoalStats; d != nil {
		ps.Merge(goalstats.Check(*d, p.def.Indicators, "goal_stats"))
	}
}

// statsDef returns the goal statistics an evaluation asks for: the plan's
// goal_stats, or with WithGoalStats an empty declaration; nil for none.
func (p *Plan) statsDef(c *evalConfig) *goalstats.Def {
	switch {
	case p.def.GoalStats != nil:
		return p.def.GoalStats
	case c.goals.stats:
		return &goalstats.Def{}
	}
	return nil
}

// goalStats sets the report's goal statistics, when the evaluation asks for
// them: the tallies of its goal rows and the correlations of its values.
func (p *Plan) goalStats(rep *Report, c *evalConfig) {
	def := p.statsDef(c)
	if def == nil {
		return
	}
	rep.stats = &goalStatsSource{set: p.goals, org: c.org, def: *def}
	rep.GoalStats = rep.stats.compute(rep)
}

// compute computes the goal statistics of a report (whole, or as a viewer
// sees it).
func (s *goalStatsSource) compute(rep *Report) *goalstats.Result {
	st := &goalstats.Result{}
	if s.set != nil && rep.Goals != nil {
		st = goalstats.Summarize(s.set, rep.Goals.Rows, s.org)
	}
	st.Correlations = goalstats.Correlate(rep.Values, s.def)
	return st
}

// The table writer's formats of goal statistics: shares and their changes
// in percent and percentage points, times in days.
var (
	changeFmt = numFmt{places: 1, shift: 2, suffix: " pp"}
	daysFmt   = numFmt{places: 2, fixed: true, suffix: " d"}
)

// writeGoalStats writes the goal statistics for people to read: a line per
// tally (all goals, each goal, type, team and period) with its counts,
// shares, median achievement and times to achievement in days, then the
// correlations.
func writeGoalStats(w *bufio.Writer, s *goalstats.Result) {
	if s == nil {
		return
	}
	type line struct {
		what string
		t    goalstats.Tally
	}
	lines := []line{{"all goals", s.Total}}
	for _, t := range s.ByGoal {
		lines = append(lines, line{"goal " + t.Goal, t})
	}
	for _, t := range s.ByType {
		lines = append(lines, line{"type " + t.Type, t})
	}
	for _, t := range s.ByKind {
		lines = append(lines, line{string(t.Kind) + " goals", t})
	}
	for _, t := range s.ByTeam {
		lines = append(lines, line{"team " + t.Team, t})
	}
	for _, t := range s.ByPeriod {
		lines = append(lines, line{"period " + t.Label, t})
	}
	col := func(f numFmt, get func(goalstats.Tally) decimal.NullDecimal) []string {
		vals := make([]decimal.NullDecimal, len(lines))
		for i, l := range lines {
			vals[i] = get(l.t)
		}
		return f.column(vals)
	}
	// Seconds in days, rounded once to the column's places: rounded to
	// four first, 431.9 seconds (0.004999 days) would read 0.01 by way of
	// 0.0050.
	days := func(d decimal.NullDecimal) decimal.NullDecimal {
		if !d.Valid {
			return d
		}
		return decimal.NewNullDecimal(d.Decimal.DivRound(decimal.NewFromInt(86400), daysFmt.places))
	}
	achieved := col(ratioFmt, func(t goalstats.Tally) decimal.NullDecimal { return t.AchievedShare })
	failed := col(ratioFmt, func(t goalstats.Tally) decimal.NullDecimal { return t.FailedShare })
	open := col(ratioFmt, func(t goalstats.Tally) decimal.NullDecimal { return t.OpenShare })
	change := col(changeFmt, func(t goalstats.Tally) decimal.NullDecimal { return t.AchievedShareChange })
	median := col(ratioFmt, func(t goalstats.Tally) decimal.NullDecimal { return t.AchievementMedian })
	tMedian := col(daysFmt, func(t goalstats.Tally) decimal.NullDecimal { return days(t.TimeToAchievement.Median) })
	tP90 := col(daysFmt, func(t goalstats.Tally) decimal.NullDecimal { return days(t.TimeToAchievement.P90) })
	fmt.Fprintf(w, "\ngoal statistics\n")
	rows := [][]string{{"", "instances", "achieved", "failed", "open", "achieved", "failed", "open", "Δ achieved", "median", "timed", "median", "p90"},
		{"", "", "", "", "", "share", "share", "share", "share", "achievement", "", "time", "time"}}
	for i, l := range lines {
		if i == 1 {
			rows = append(rows, nil)
		}
		rows = append(rows, []string{"  " + l.what, strconv.Itoa(l.t.Instances), strconv.Itoa(l.t.Achieved), strconv.Itoa(l.t.Failed),
			strconv.Itoa(l.t.Open), achieved[i], failed[i], open[i], blankDash(change[i], l.t.Period.IsZero()), median[i],
			strconv.Itoa(l.t.TimeToAchievement.Instances), tMedian[i], tP90[i]})
	}
	writeAligned(w, rows)
	if len(s.Correlations) == 0 {
		return
	}
	fmt.Fprintf(w, "\ncorrelation with %s (Pearson, over people × periods)\n", s.Correlations[0].BusinessResult)
	rs := make([]decimal.NullDecimal, len(s.Correlations))
	for i, c := range s.Correlations {
		rs[i] = c.R
	}
	rcol := plainFmt.column(rs)
	rows = [][]string{{"  indicator", "points", "r", ""}}
	for i, c := range s.Correlations {
		why := ""
		if !c.R.Valid {
			why = "(" + c.Undefined + ")"
		}
		rows = append(rows, []string{"  " + c.Indicator, strconv.Itoa(c.Points), rcol[i], why})
	}
	writeAligned(w, rows)
}

// blankDash is cell, or nothing where the column does not apply.
func blankDash(cell string, notApplicable bool) string {
	if notApplicable {
		return ""
	}
	return cell
}

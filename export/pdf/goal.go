package pdf

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/export/internal/format"
	"github.com/goalkit/goalkit/export/internal/report"
	"github.com/goalkit/goalkit/goal"
)

// Goal writes one goal's report for a period (its label; empty for the
// last period the goal has rows for that has begun by the report's
// instant, or its first when none has): every participant's target, actual,
// achievement, expected value, forecast, status and rank, then for each
// row with a daily series its burn-up and its daily dynamics side by side.
// A goal the report has no rows of for the period is an error.
func Goal(w io.Writer, plan *goalkit.Plan, rep *goalkit.Report, goalID, period string, opts ...Option) error {
	rep, err := report.Usable(plan, rep)
	if err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	var rows []goal.Row
	if rep.Goals != nil {
		for _, r := range rep.Goals.Rows {
			if r.Goal == goalID && (period == "" || r.Label == period) {
				rows = append(rows, *r)
			}
		}
	}
	if period == "" && len(rows) > 0 {
		// The goal's last period that has begun.
		today := plan.Calendar().Date(rep.AsOf)
		last := rows[0].Label
		for _, r := range rows {
			if r.Period.Start <= today {
				last = r.Label
			}
		}
		kept := rows[:0]
		for _, r := range rows {
			if r.Label == last {
				kept = append(kept, r)
			}
		}
		rows = kept
	}
	if len(rows) == 0 {
		return noGoalRows(plan, rep, goalID, period)
	}
	first := rows[0]
	d := newDocument(plan, rep, configOf(opts), fmt.Sprintf("Goal: %s, %s", format.Isolate(goalName(first)), first.Label))
	for _, g := range plan.Definition().Goals {
		if g.ID == goalID && g.Description != "" {
			d.text(g.Description)
		}
	}
	d.text(fmt.Sprintf("goal %s, %s, %s is better; period [%s, %s)", first.Goal, d.measures(goalID), first.Direction, first.Period.Start, first.Period.End))
	d.pdf.Ln(2)
	d.table(goalTable(d, rows, func(r goal.Row) string { return d.Who(r.Kind, r.Participant) }))
	half := (d.width() - 4) / 2
	for _, r := range rows {
		if len(r.Series) == 0 {
			continue
		}
		h := 55.0
		d.heading(d.Who(r.Kind, r.Participant), h)
		burn, err := chart.BurnUp(r, d.chartOptions("burn-up", half, h))
		if err != nil {
			return err
		}
		daily, err := chart.Daily(r, d.chartOptions("daily", half, h))
		if err != nil {
			return err
		}
		d.imagesSideBySide(burn, daily, half, h)
	}
	return d.finish(w)
}

// goalIndicator is the indicator of the plan's goal with the id.
func goalIndicator(plan *goalkit.Plan, id string) string {
	for _, g := range plan.Definition().Goals {
		if g.ID == id {
			return g.Indicator
		}
	}
	return ""
}

// measures says what a goal measures: its indicator, or a checklist of so
// many items (a checklist goal has no indicator).
func (d *document) measures(goalID string) string {
	for _, g := range d.plan.Definition().Goals {
		if g.ID == goalID && len(g.Checklist) == 1 {
			return "a checklist of 1 item"
		}
		if g.ID == goalID && len(g.Checklist) > 1 {
			return fmt.Sprintf("a checklist of %d items", len(g.Checklist))
		}
	}
	return "indicator " + d.indicatorName(goalIndicator(d.plan, goalID))
}

// goalTable is the table of goal rows, the first column named by name.
func goalTable(d *document, rows []goal.Row, name func(goal.Row) string) *table {
	t := newTable("participant", "target", "actual", "achievement", "expected", "forecast", "status", "rank")
	t.left[6] = true
	for _, r := range rows {
		f := format.Goal(d.plan, r.Goal)
		rank := "—"
		if r.Rank > 0 {
			rank = fmt.Sprint(r.Rank)
		}
		t.add(name(r), f.Text(r.Target), f.Text(r.Actual), format.Ratio.Text(r.Achievement.Uncapped), f.Text(r.Expected), f.Text(r.Forecast),
			strings.ReplaceAll(string(r.Status), "_", " "), rank)
	}
	return t
}

// noGoalRows is the error of a goal the report has no rows of for the
// period: it names the periods the goal has rows for or, for a goal with
// none, the plan's goals.
func noGoalRows(plan *goalkit.Plan, rep *goalkit.Report, goalID, period string) error {
	var labels []string
	if rep.Goals != nil {
		for _, r := range rep.Goals.Rows {
			if r.Goal == goalID && !slices.Contains(labels, r.Label) {
				labels = append(labels, r.Label)
			}
		}
	}
	if len(labels) > 0 {
		return fmt.Errorf("pdf: the report has no rows of goal %q for %s (it has %s)", goalID, period, strings.Join(labels, ", "))
	}
	var ids []string
	for _, g := range plan.Definition().Goals {
		ids = append(ids, g.ID)
	}
	has := "the plan has no goals"
	if len(ids) > 0 {
		has = "goals: " + strings.Join(ids, ", ")
	}
	if period == "" {
		return fmt.Errorf("pdf: the report has no rows of goal %q (%s)", goalID, has)
	}
	return fmt.Errorf("pdf: the report has no rows of goal %q for %s (%s)", goalID, period, has)
}

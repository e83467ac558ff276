package pdf

import (
	"fmt"
	"slices"
	"strings"

	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/export/internal/format"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
)

// boardOptions are the options of a leaderboard's chart printed width by
// height millimetres, its standings named as their level says.
func (d *document) boardOptions(id string, width, height float64) chart.Options {
	o := d.chartOptions("", width, height)
	if d.plan.StandingKind(id) == goal.Team {
		o.Level = score.LevelDepartments
	}
	return o
}

// indicatorTitle heads an indicator's column: its name (its id when it has
// none) and the symbol of its currency or "%", when the name does not say
// it already.
func (d *document) indicatorTitle(ix *kpi.Indicator) string {
	t := ix.Def.Name
	if t == "" {
		t = ix.ID()
	}
	if f := format.Indicator(d.plan, ix.ID()); f.Currency != "" {
		if strings.Contains(t, f.Currency) || strings.Contains(t, format.Symbol(f.Currency)) {
			return t
		}
		return t + ", " + format.Symbol(f.Currency)
	}
	if ix.Unit() == kpi.UnitPercent && !strings.Contains(t, "%") {
		return t + ", %"
	}
	return t
}

// indicatorName is an indicator's name, its id when it has none.
func (d *document) indicatorName(id string) string {
	if ix, ok := d.plan.Indicators().Lookup(id); ok && ix.Def.Name != "" {
		return ix.Def.Name
	}
	return id
}

// kpiName is how a scorecard's KPI is named: its own name, else its
// indicator's when the KPI is named by its indicator, else its id, so that
// two KPIs on one indicator read apart.
func (d *document) kpiName(scorecard string, k score.KPIScore) string {
	for _, s := range d.plan.Definition().Scorecards {
		if s.ID != scorecard {
			continue
		}
		for _, def := range s.KPIs {
			if (def.ID == k.KPI || def.ID == "" && def.Indicator == k.KPI) && def.Name != "" {
				return def.Name
			}
		}
	}
	if k.KPI == k.Indicator {
		return d.indicatorName(k.Indicator)
	}
	return k.KPI
}

// scorecardName is a scorecard's name with its id, or its id.
func (d *document) scorecardName(id string) string {
	for _, s := range d.plan.Definition().Scorecards {
		if s.ID == id && s.Name != "" {
			return format.Isolate(s.Name) + " (" + id + ")"
		}
	}
	return id
}

// boardName is a leaderboard's name with its id, or its id.
func (d *document) boardName(id string) string {
	for _, b := range d.plan.Definition().Leaderboards {
		if b.ID == id && b.Name != "" {
			return format.Isolate(b.Name) + " (" + id + ")"
		}
	}
	return id
}

// label returns the label of the period a document is for: want, which
// must be a period the report has something for, or, when empty, the
// report's last period that has begun by the report's instant (its first
// when none has): a later one has nothing yet.
func (d *document) label(want string) (string, error) {
	var labels []string
	cal := d.plan.Calendar()
	add := func(l string) {
		if !slices.Contains(labels, l) {
			labels = append(labels, l)
		}
	}
	today := cal.Date(d.rep.AsOf)
	begun := ""
	if d.rep.Values != nil {
		for _, p := range d.rep.Values.Periods() {
			add(cal.Label(p))
			if p.Start <= today {
				begun = cal.Label(p)
			}
		}
	}
	if want == "" && len(labels) == 0 {
		// A report without values (one a host built of goals or scorecards
		// alone): the latest period of its cards and goal rows that has
		// begun, else the earliest.
		var first, last period.Period
		var firstLabel, lastLabel string
		pick := func(p period.Period, label string) {
			if p.End == 0 {
				return // a period the report does not say
			}
			if first.End == 0 || p.Start < first.Start {
				first, firstLabel = p, label
			}
			if p.Start <= today && (last.End == 0 || p.Start > last.Start) {
				last, lastLabel = p, label
			}
		}
		if s := d.rep.Scores; s != nil {
			for _, c := range s.Scorecards {
				pick(c.Period, c.Label)
			}
		}
		if g := d.rep.Goals; g != nil {
			for _, r := range g.Rows {
				pick(r.Period, r.Label)
			}
		}
		switch {
		case last.End != 0:
			return lastLabel, nil
		case first.End != 0:
			return firstLabel, nil
		}
	}
	if want == "" {
		if len(labels) == 0 {
			return "", fmt.Errorf("pdf: the report has no period")
		}
		if begun == "" {
			return labels[0], nil
		}
		return begun, nil
	}
	if s := d.rep.Scores; s != nil {
		for _, c := range s.Scorecards {
			add(c.Label)
		}
	}
	if g := d.rep.Goals; g != nil {
		for _, r := range g.Rows {
			add(r.Label)
		}
	}
	if slices.Contains(labels, want) {
		return want, nil
	}
	return "", fmt.Errorf("pdf: the report has no period %q (it has %s)", want, strings.Join(labels, ", "))
}

package pdf

import (
	"fmt"
	"slices"
	"strings"

	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/export/internal/format"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/score"
)

// valuesKind is what the participant of a row of the report's values is: a group's row, else an
// actor's (a unit whose id is also an actor's has no row of its own: the
// row of that id is the actor's).
func (d *document) valuesKind(participant string) goal.ParticipantKind {
	if d.rep.Values != nil && d.rep.Values.IsGroup(participant) {
		return goal.Team
	}
	return goal.User
}

// cardKind is what the participant of a scorecard's card (or of a payout
// of a bonus on the scorecard) is: a group the scorecard names and scores
// on its own row (department 1 though user 1 has the row of the id), else
// a person.
func (d *document) cardKind(scorecard, participant string) goal.ParticipantKind {
	if d.groupCard(scorecard, participant) {
		return goal.Team
	}
	return goal.User
}

// warningKind is what the participant of a warning of the values is: the
// unit, for the warning of no indicator and no period that says a unit's
// row is the actor's of the same id; else as valuesKind says.
func (d *document) warningKind(w kpi.Warning) goal.ParticipantKind {
	if w.Indicator == "" && w.Period == "" {
		return goal.Team
	}
	return d.valuesKind(w.Participant)
}

// boardKind is what a leaderboard's standings are: units at the level of
// departments, else people.
func (d *document) boardKind(id string) goal.ParticipantKind {
	if d.unitsBoard(id) {
		return goal.Team
	}
	return goal.User
}

// boardOptions are the options of a leaderboard's chart printed width by
// height millimetres, its standings named as their level says.
func (d *document) boardOptions(id string, width, height float64) chart.Options {
	o := d.chartOptions("", width, height)
	if d.boardKind(id) == goal.Team {
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

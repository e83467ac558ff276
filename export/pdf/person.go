package pdf

import (
	"fmt"
	"io"
	"strings"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/export/internal/format"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// Person writes one person's scorecard for a period (its label, such
// as 2025-03; empty for the report's last period): each scorecard's total
// with its KPIs' breakdown, the bonuses, the places on the leaderboards
// (rank N of the board's M ranked standings: on a board cut to its top,
// of all that had a rank before the cut, score.Board.Ranked), and the
// person's goals with a burn-up chart of each that has a
// daily series (goalkit.WithSeries). A unit's card, bonus, place or goal
// row of the same id (Bitrix24's department 1 and user 1) is not the
// person's, and is left out. A participant with nothing in the
// report for the period is an error, and nothing is written.
func Person(w io.Writer, plan *goalkit.Plan, rep *goalkit.Report, participant, period string, opts ...Option) error {
	d, label, err := begin(plan, rep, period, opts)
	if err != nil {
		return err
	}
	rep = d.rep
	var rows []goal.Row
	if rep.Goals != nil {
		for _, r := range rep.Goals.Rows {
			if r.Participant == participant && r.Kind == goal.User && r.Label == label {
				rows = append(rows, *r)
			}
		}
	}
	cards := 0
	if rep.Scores != nil {
		for _, c := range rep.Scores.Scorecards {
			if c.Participant == participant && c.Label == label && d.plan.CardKind(d.rep, c.Scorecard, participant) == goal.User {
				cards++
			}
		}
	}
	if cards == 0 && len(rows) == 0 {
		return fmt.Errorf("pdf: %q has no scorecard and no goal in the report for %s", participant, label)
	}
	d = newDocument(plan, rep, d.config, fmt.Sprintf("Scorecard: %s, %s", format.Isolate(d.Who(goal.User, participant)), label))
	d.personCards(participant, label)
	d.personBonuses(participant, label)
	d.personBoards(participant, label)
	if len(rows) > 0 {
		d.heading("Goals", 3*lineHeight)
		t := goalTable(d, rows, func(r goal.Row) string { return goalName(r) })
		t.header[0] = "goal"
		d.table(t)
		for _, r := range rows {
			d.burnUp(r, goalName(r))
		}
	}
	return d.finish(w)
}

// personCards writes the participant's scorecards for the period.
func (d *document) personCards(participant, label string) {
	if d.rep.Scores == nil {
		return
	}
	for _, c := range d.rep.Scores.Scorecards {
		if c.Participant != participant || c.Label != label || d.plan.CardKind(d.rep, c.Scorecard, participant) != goal.User {
			continue
		}
		d.heading("Scorecard "+d.scorecardName(c.Scorecard), 6*lineHeight)
		line := "total " + format.Plain.Text(decimal.NewNullDecimal(c.Total))
		if !c.Factor.Equal(decimal.NewFromInt(1)) {
			var gates []string
			for _, k := range c.KPIs {
				if k.Gated {
					gates = append(gates, k.KPI)
				}
			}
			line += fmt.Sprintf(" = subtotal %s × gate factor %s (%s)", c.Subtotal, c.Factor, strings.Join(gates, ", "))
		}
		d.text(line)
		t := newTable("kpi", "actual", "target", "achievement", "score", "weight", "contribution")
		for _, k := range c.KPIs {
			f := format.Indicator(d.plan, k.Indicator)
			name := d.kpiName(c.Scorecard, k)
			if k.Gated {
				name += " (gate)"
			}
			t.add(name, f.Text(k.Actual), f.Text(decimal.NewNullDecimal(k.Target)), percentText(k.Achievement),
				plain(k.Score), plain(k.Weight), plain(k.Contribution))
		}
		t.add("total", "", "", "", "", "", plain(c.Total))
		t.bold[len(t.rows)-1] = true
		d.table(t)
	}
}

// personBonuses writes the participant's payouts for the period.
func (d *document) personBonuses(participant, label string) {
	if d.rep.Scores == nil {
		return
	}
	t := newTable("bonus", "score", "payout", "base part", "tiers", "penalties", "amount")
	for _, p := range d.rep.Scores.Bonuses {
		if p.Participant != participant || p.Label != label || d.plan.PayoutKind(d.rep, p.Bonus, participant) != goal.User {
			continue
		}
		m := format.Money(p.Currency)
		pen := decimal.Zero
		for _, h := range p.Penalties {
			pen = pen.Add(h.Amount)
		}
		payout := percentText(p.Percent)
		if !p.Qualified {
			payout = "under threshold"
		}
		t.add(p.Bonus, plain(p.Score), payout, m.Text(decimal.NewNullDecimal(p.BaseAmount)), m.Text(decimal.NewNullDecimal(p.TierAmount)),
			m.Text(decimal.NewNullDecimal(pen)), m.Text(decimal.NewNullDecimal(p.Amount)))
	}
	if len(t.rows) > 0 {
		d.heading("Bonus", 3*lineHeight)
		d.table(t)
	}
}

// personBoards writes the participant's places on the period's
// leaderboards.
func (d *document) personBoards(participant, label string) {
	if d.rep.Scores == nil {
		return
	}
	t := newTable("leaderboard", "rank", "of", "value")
	for _, b := range d.rep.Scores.Leaderboards {
		if b.Label != label || d.plan.StandingKind(b.Leaderboard) != goal.User {
			continue
		}
		for _, st := range b.Standings {
			if st.Participant == participant {
				rank := "—"
				if st.Rank > 0 {
					rank = fmt.Sprint(st.Rank)
				}
				t.add(d.boardName(b.Leaderboard), rank, d.ranked(b), format.Board(d.plan, b.Leaderboard).Text(st.Value))
			}
		}
	}
	if len(t.rows) > 0 {
		d.heading("Leaderboards", 3*lineHeight)
		d.table(t)
	}
}

// ranked is the "of" of a place on a board: the number of standings it
// ranked (format.Ranked: on a board cut to its top, how many had a rank
// before the cut; those without a value, unranked, are not counted).
func (d *document) ranked(b score.Board) string {
	return fmt.Sprint(format.Ranked(b))
}

// burnUp draws a goal row's burn-up chart across the page, when it has a
// daily series.
func (d *document) burnUp(r goal.Row, title string) {
	if len(r.Series) == 0 {
		return
	}
	w, h := d.width(), 70.0
	png, err := chart.BurnUp(r, d.chartOptions(format.Isolate(clean(title))+", "+r.Label, w, h))
	if err != nil {
		d.pdf.SetError(err)
		return
	}
	d.image(png, w, h)
}

// goalName is a goal row's goal name, its id when it has none.
func goalName(r goal.Row) string {
	if r.Name != "" {
		return r.Name
	}
	return r.Goal
}

// plain writes a number rounded to at most four places.
func plain(v decimal.Decimal) string { return format.Plain.Text(decimal.NewNullDecimal(v)) }

// percentText writes a number that is a percent already (a scorecard's
// achievement, a payout percent).
func percentText(v decimal.NullDecimal) string {
	if !v.Valid {
		return "—"
	}
	return format.Plain.Text(v) + " %"
}

package pdf

import (
	"fmt"
	"io"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/export/internal/format"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/kindof"
	"github.com/goalkit/goalkit/org"
	"github.com/shopspring/decimal"
)

// Department writes the summary of a period (its label; empty for the
// report's last period) for everyone in the report: the indicators' values
// per participant, the scorecards' totals, the bonuses, the leaderboards
// with a bar chart each ("top 10 shown" under a board cut to its top), the
// goals and the cascades, and the report's warnings.
func Department(w io.Writer, plan *goalkit.Plan, rep *goalkit.Report, period string, opts ...Option) error {
	d, label, err := begin(plan, rep, period, opts)
	if err != nil {
		return err
	}
	rep = d.rep
	d = newDocument(plan, rep, d.config, "Summary, "+label)
	d.values(label)
	d.cardTotals(label)
	d.bonusTable(label)
	d.boards(label)
	d.goalsSummary(label)
	d.cascades(label)
	d.warnings()
	return d.finish(w)
}

// values writes the indicators' values of the period: a row per
// participant, a column per indicator, everyone together last in bold.
func (d *document) values(label string) {
	if d.rep.Values == nil {
		return
	}
	cal := d.plan.Calendar()
	inds := d.rep.Values.Set().Indicators()
	for _, p := range d.rep.Values.Periods() {
		if cal.Label(p) != label {
			continue
		}
		titles := []string{"participant"}
		for _, ix := range inds {
			titles = append(titles, d.indicatorTitle(ix))
		}
		t := newTable(titles...)
		for _, part := range d.rep.Values.Participants() {
			cells := []string{d.Who(d.plan.ValueKind(d.rep, part), part)}
			for _, ix := range inds {
				v, _ := d.rep.Values.Value(ix.ID(), part, p)
				cells = append(cells, format.Indicator(d.plan, ix.ID()).Text(v))
			}
			t.add(cells...)
			if part == org.Everyone {
				t.bold[len(t.rows)-1] = true
			}
		}
		d.heading("Indicators", 3*lineHeight)
		d.table(t)
	}
}

// cardTotals writes each scorecard's totals for the period: a row per
// participant with each KPI's score and the total.
func (d *document) cardTotals(label string) {
	if d.rep.Scores == nil {
		return
	}
	var ids []string
	cards := map[string][]int{}
	for i, c := range d.rep.Scores.Scorecards {
		if c.Label != label {
			continue
		}
		if _, ok := cards[c.Scorecard]; !ok {
			ids = append(ids, c.Scorecard)
		}
		cards[c.Scorecard] = append(cards[c.Scorecard], i)
	}
	for _, id := range ids {
		first := d.rep.Scores.Scorecards[cards[id][0]]
		titles := []string{"participant"}
		for _, k := range first.KPIs {
			titles = append(titles, d.kpiName(id, k)+", score")
		}
		t := newTable(append(titles, "total")...)
		for _, i := range cards[id] {
			c := d.rep.Scores.Scorecards[i]
			cells := []string{d.Who(d.plan.CardKind(d.rep, c.Scorecard, c.Participant), c.Participant)}
			for _, k := range c.KPIs {
				cells = append(cells, plain(k.Score))
			}
			t.add(append(cells, plain(c.Total))...)
		}
		d.heading("Scorecard "+d.scorecardName(id), 3*lineHeight)
		d.table(t)
	}
}

// bonusTable writes the period's payouts.
func (d *document) bonusTable(label string) {
	if d.rep.Scores == nil {
		return
	}
	t := newTable("participant", "bonus", "score", "payout", "amount")
	t.left[1] = true
	for _, p := range d.rep.Scores.Bonuses {
		if p.Label != label {
			continue
		}
		payout := percentText(p.Percent)
		if !p.Qualified {
			payout = "under threshold"
		}
		t.add(d.Who(d.plan.PayoutKind(d.rep, p.Bonus, p.Participant), p.Participant), p.Bonus, plain(p.Score), payout, format.Money(p.Currency).Text(decimal.NewNullDecimal(p.Amount)))
	}
	if len(t.rows) > 0 {
		d.heading("Bonuses", 3*lineHeight)
		d.table(t)
	}
}

// boards draws each leaderboard of the period as bars, with its table; a
// board cut to its top (format.Cut) says so under it ("top 10 shown"), so
// that its rows are not taken for everyone.
func (d *document) boards(label string) {
	if d.rep.Scores == nil {
		return
	}
	for _, b := range d.rep.Scores.Leaderboards {
		if b.Label != label || len(b.Standings) == 0 {
			continue
		}
		h := 12 + 9*float64(min(len(b.Standings), 12))
		lines := len(b.Standings) + 2
		top := format.Cut(d.plan, b)
		if top > 0 {
			lines++ // "top N shown"
		}
		// The chart and its table together, when they fit on a page.
		d.heading("Leaderboard "+d.boardName(b.Leaderboard), min(h+float64(lines)*lineHeight, 200))
		png, err := chart.Leaderboard(b, d.boardOptions(b.Leaderboard, d.width(), h))
		switch err {
		case nil:
			d.image(png, d.width(), h)
		case chart.ErrNoStandings:
		default:
			d.pdf.SetError(err)
			return
		}
		t := newTable("rank", "participant", "value")
		t.left[1] = true
		f := format.Board(d.plan, b.Leaderboard)
		kind := d.plan.StandingKind(b.Leaderboard)
		for _, st := range b.Standings {
			rank := "—"
			if st.Rank > 0 {
				rank = fmt.Sprint(st.Rank)
			}
			t.add(rank, d.Who(kind, st.Participant), f.Text(st.Value))
		}
		d.table(t)
		if top > 0 {
			d.text(format.Shown(top))
		}
	}
}

// goalsSummary writes a table of each goal's rows of the period.
func (d *document) goalsSummary(label string) {
	if d.rep.Goals == nil {
		return
	}
	rows := d.rep.Goals.Rows
	for start := 0; start < len(rows); {
		end := start + 1
		for end < len(rows) && rows[end].Goal == rows[start].Goal {
			end++
		}
		var block []goal.Row
		for _, r := range rows[start:end] {
			if r.Label == label {
				block = append(block, *r)
			}
		}
		start = end
		if len(block) == 0 {
			continue
		}
		d.heading("Goal "+goalName(block[0]), 3*lineHeight)
		d.table(goalTable(d, block, func(r goal.Row) string { return d.Who(r.Kind, r.Participant) }))
	}
}

// cascades writes each cascade's nodes of the period, indented by depth.
func (d *document) cascades(label string) {
	if d.rep.Cascade == nil {
		return
	}
	cal := d.plan.Calendar()
	for _, tr := range d.rep.Cascade.Trees {
		if cal.Label(tr.Root.Period) != label && tr.Root.Label != label {
			continue
		}
		f := format.Indicator(d.plan, tr.Indicator)
		t := newTable("node", "target", "actual", "achievement", "contribution")
		var walk func(n *cascade.Node, depth int)
		walk = func(n *cascade.Node, depth int) {
			indent := ""
			for range depth {
				indent += "    "
			}
			t.add(indent+d.nodeName(n), f.Text(n.Target), f.Text(n.Actual), format.Ratio.Text(n.Achievement), format.Ratio.Text(n.Contribution))
			for _, c := range n.Children {
				walk(c, depth+1)
			}
		}
		walk(tr.Root, 0)
		name := tr.Name
		if name == "" {
			name = tr.Cascade
		}
		d.heading("Cascade "+name, 3*lineHeight)
		d.table(t)
	}
}

// nodeName is how a cascade's node is named: its id, whose participant,
// where the id is made of it and the period's label ("north 2025-03"), is
// shown by its name.
func (d *document) nodeName(n *cascade.Node) string {
	if n.ID == n.Participant+" "+n.Label {
		return format.Isolate(d.Who(kindof.Node(n.Kind), n.Participant)) + " " + n.Label
	}
	return n.ID
}

// warnings writes the report's warnings and unpriced events.
func (d *document) warnings() {
	var lines []string
	if v := d.rep.Values; v != nil {
		for _, wn := range v.Warnings {
			lines = append(lines, format.Place(wn.Indicator, format.Isolate(d.Who(d.plan.WarningKind(d.rep, wn), wn.Participant)), wn.Period)+": "+wn.Msg)
		}
		for _, u := range v.Unpriced {
			rate := "no rate"
			if u.RateDate != "" {
				rate = "no rate on " + u.RateDate // rate: period_end
			}
			lines = append(lines, fmt.Sprintf("unpriced: %s event %s, %s %s on %s (%s)", u.Indicator, format.Isolate(u.Event), u.Amount, u.Currency, u.Date, rate))
		}
	}
	if d.rep.Cascade != nil {
		for _, is := range d.rep.Cascade.Issues {
			lines = append(lines, "cascade issue: "+is.String())
		}
	}
	if len(lines) == 0 {
		return
	}
	d.heading("Warnings", 10)
	for _, l := range lines {
		d.text(l)
	}
}

package xlsx

import (
	"fmt"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/export/internal/format"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// scorecards writes the "Scorecards" sheet: a row per card and KPI, the
// card's total, subtotal and gate factor beside each of its KPIs' breakdown.
// Achievements are percents; scores, weights and contributions are points
// (a score of 100 is the target met), as the scorecard defines them.
func (b *book) scorecards(rep *goalkit.Report) error {
	if rep.Scores == nil || len(rep.Scores.Scorecards) == 0 {
		return nil
	}
	s, err := b.sheet("Scorecards")
	if err != nil {
		return err
	}
	s.header(b.withName("scorecard", "period", "participant", "total", "subtotal", "gate factor", "kpi", "indicator", "direction",
		"actual", "target", "achievement", "score", "weight", "weighted", "contribution", "gated")...)
	for _, c := range rep.Scores.Scorecards {
		for _, k := range c.KPIs {
			f := format.Indicator(b.plan, k.Indicator)
			s.next()
			s.text(1, c.Scorecard)
			s.text(2, c.Label)
			s.text(3, format.Who(c.Participant))
			s.dec(4, c.Total, format.Plain)
			s.dec(5, c.Subtotal, format.Plain)
			s.dec(6, c.Factor, format.Plain)
			s.text(7, k.KPI)
			s.text(8, k.Indicator)
			s.text(9, string(k.Direction))
			s.num(10, k.Actual, f)
			s.dec(11, k.Target, f)
			s.num(12, k.Achievement, percent)
			s.dec(13, k.Score, format.Plain)
			s.dec(14, k.Weight, format.Plain)
			s.dec(15, k.Weighted, format.Plain)
			s.dec(16, k.Contribution, format.Plain)
			s.flag(17, k.Gated)
			s.who(18, b.plan.CardKind(rep, c.Scorecard, c.Participant), c.Participant)
		}
	}
	return s.finish()
}

// bonuses writes the "Bonuses" sheet: a row per payout with how it came
// about; amounts in the bonus's currency.
func (b *book) bonuses(rep *goalkit.Report) error {
	if rep.Scores == nil || len(rep.Scores.Bonuses) == 0 {
		return nil
	}
	s, err := b.sheet("Bonuses")
	if err != nil {
		return err
	}
	s.header(b.withName("bonus", "period", "participant", "currency", "score", "qualified", "payout", "base part", "tiers",
		"gross", "capped", "penalties", "exact", "amount", "rounding", "pool team", "pool", "share weight", "team weights")...)
	for _, p := range rep.Scores.Bonuses {
		m := format.Money(p.Currency)
		pen := decimal.Zero
		for _, h := range p.Penalties {
			pen = pen.Add(h.Amount)
		}
		s.next()
		s.text(1, p.Bonus)
		s.text(2, p.Label)
		s.text(3, format.Who(p.Participant))
		s.text(4, p.Currency)
		s.dec(5, p.Score, format.Plain)
		s.flag(6, p.Qualified)
		s.num(7, p.Percent, percent)
		s.dec(8, p.BaseAmount, m)
		s.dec(9, p.TierAmount, m)
		s.dec(10, p.Gross, m)
		s.flag(11, p.Capped)
		s.dec(12, pen, m)
		s.dec(13, p.Exact, m)
		s.dec(14, p.Amount, m)
		s.text(15, string(p.Rounding))
		if p.Pool != nil {
			s.text(16, p.Pool.Team)
			s.dec(17, p.Pool.Amount, m)
			s.dec(18, p.Pool.Weight, format.Plain)
			s.dec(19, p.Pool.Weights, format.Plain)
		}
		s.who(20, b.plan.PayoutKind(rep, p.Bonus, p.Participant), p.Participant)
	}
	return s.finish()
}

// leaderboards writes the "Leaderboards" sheet: a row per standing, each
// board and period in a block of rows, and beside the table a bar chart of
// each block's ranking. A board cut to its top (format.Cut) ends in a row
// of its own that says so in the rank column ("top 10 shown"), so that its
// rows are not taken for everyone.
func (b *book) leaderboards(rep *goalkit.Report) error {
	if rep.Scores == nil || len(rep.Scores.Leaderboards) == 0 {
		return nil
	}
	s, err := b.sheet("Leaderboards")
	if err != nil {
		return err
	}
	s.header(b.withName("leaderboard", "period", "rank", "participant", "value", "headcount")...)
	// The chart's categories are the participants as named, where they are.
	categories := 4
	if b.named.Name != nil {
		categories = 7
	}
	const chartRows = 16 // the rows a chart covers, one under the other
	for i, board := range rep.Scores.Leaderboards {
		f := format.Board(b.plan, board.Leaderboard)
		first := s.row + 1
		for _, st := range board.Standings {
			s.next()
			s.text(1, board.Leaderboard)
			s.text(2, board.Label)
			s.integer(3, st.Rank, true)
			s.text(4, format.Who(st.Participant))
			s.num(5, st.Value, f)
			s.integer(6, st.Headcount, true)
			s.who(7, b.plan.StandingKind(board.Leaderboard), st.Participant)
		}
		if len(board.Standings) == 0 {
			continue
		}
		if err := b.f.AddChart(s.name, fmt.Sprintf("H%d", 2+i*chartRows), &excelize.Chart{
			Type:       excelize.Bar,
			VaryColors: &no,
			Series:     []excelize.ChartSeries{{Name: ref(s.name, 1, first, 1, first), Categories: ref(s.name, categories, first, categories, s.row), Values: ref(s.name, 5, first, 5, s.row)}},
			Title:      []excelize.RichTextRun{{Text: format.Guard(board.Leaderboard + ", " + board.Label)}},
			Legend:     excelize.ChartLegend{Position: "none"},
			Dimension:  excelize.ChartDimension{Width: 560, Height: 300},
			// The best at the top: the category axis runs from the top down.
			XAxis: excelize.ChartAxis{ReverseOrder: true},
			YAxis: excelize.ChartAxis{MajorGridLines: true},
		}); err != nil {
			return err
		}
		if top := format.Cut(b.plan, board); top > 0 {
			s.next()
			s.text(1, board.Leaderboard)
			s.text(2, board.Label)
			s.text(3, format.Shown(top))
		}
	}
	return s.finish()
}

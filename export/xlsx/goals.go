package xlsx

import (
	"strings"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/export/internal/format"
	"github.com/goalkit/goalkit/export/internal/names"
	"github.com/goalkit/goalkit/goal"
	"github.com/xuri/excelize/v2"
)

// goals writes a sheet per goal, named by the goal's name (its id when it
// has none): a row per period and participant with plan against fact, a
// column chart of target and actual, and the daily series when the report
// has them.
func (b *book) goals(rep *goalkit.Report) error {
	if rep.Goals == nil {
		return nil
	}
	rows := rep.Goals.Rows
	for start := 0; start < len(rows); {
		end := start + 1
		for end < len(rows) && rows[end].Goal == rows[start].Goal {
			end++
		}
		if err := b.goal(rows[start:end]); err != nil {
			return err
		}
		start = end
	}
	return nil
}

// goalColumns head a goal's sheet.
var goalColumns = []string{"period", "participant", "kind", "target", "actual", "achievement", "remaining", "expected", "forecast", "status", "rank", "milestones"}

// goal writes the sheet of one goal's rows.
func (b *book) goal(rows []*goal.Row) error {
	first := rows[0]
	name := first.Name
	if name == "" {
		name = first.Goal
	}
	s, err := b.goalSheet(name)
	if err != nil {
		return err
	}
	f := format.Goal(b.plan, first.Goal)
	s.header(b.withName(goalColumns...)...)
	for _, r := range rows {
		s.next()
		s.text(1, r.Label)
		s.text(2, format.Who(r.Participant))
		s.text(3, string(r.Kind))
		s.num(4, r.Target, f)
		s.num(5, r.Actual, f)
		s.num(6, r.Achievement.Uncapped, format.Ratio)
		s.num(7, r.Remaining, f)
		s.num(8, r.Expected, f)
		s.num(9, r.Forecast, f)
		s.text(10, strings.ReplaceAll(string(r.Status), "_", " "))
		s.integer(11, r.Rank, true)
		s.text(12, strings.Join(r.Milestones, ", "))
		s.who(13, r.Kind, r.Participant)
	}
	last := s.row
	if err := b.f.AddChart(s.name, "N2", &excelize.Chart{
		Type:       excelize.Col,
		VaryColors: &no,
		Series: []excelize.ChartSeries{
			{Name: ref(s.name, 4, 1, 4, 1), Categories: ref(s.name, 1, 2, 2, last), Values: ref(s.name, 4, 2, 4, last)},
			{Name: ref(s.name, 5, 1, 5, 1), Categories: ref(s.name, 1, 2, 2, last), Values: ref(s.name, 5, 2, 5, last)},
		},
		Title:     []excelize.RichTextRun{{Text: format.Guard(name) + ": plan and fact"}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 640, Height: 320},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: numberFormat(f)}},
	}); err != nil {
		return err
	}
	series(s, rows, f, b.named)
	return s.finish()
}

// series writes the rows' daily series under the table, two rows down: a
// row per day, a plan and an actual column per row of the goal, titled by
// the row's participant as named and its period.
func series(s *sheet, rows []*goal.Row, f format.Number, named names.Config) {
	var with []*goal.Row
	for _, r := range rows {
		if len(r.Series) > 0 {
			with = append(with, r)
		}
	}
	if len(with) == 0 {
		return
	}
	s.next()
	titles := []string{"date"}
	for _, r := range with {
		who := named.Who(r.Kind, r.Participant) + ", " + r.Label
		titles = append(titles, who+": plan", who+": actual")
	}
	s.header(titles...)
	dates := map[string]int{} // date → row
	for i, r := range with {
		for _, p := range r.Series {
			d := p.Date.String()
			row, ok := dates[d]
			if !ok {
				s.next()
				row = s.row
				dates[d] = row
				s.date(1, p.Date.MidnightUTC())
			}
			at := s.row
			s.row = row
			s.num(2+2*i, p.Plan, f)
			s.num(3+2*i, p.Actual, f)
			s.row = at
		}
	}
}

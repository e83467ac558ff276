package xlsx

import (
	"time"
	"unicode/utf8"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/export/internal/format"
	"github.com/goalkit/goalkit/kpi"
	"github.com/xuri/excelize/v2"
)

// valueColumns head the Values sheet.
var valueColumns = []string{"indicator", "participant", "period", "period_start", "period_end", "value", "exact"}

// values writes the "Values" sheet: every value of the report, one row per
// indicator × participant × period as WriteCSV writes them (and the
// participant as named, last, when the workbook names participants), the period's
// start and end as date cells (as text where Excel cannot show the day:
// dateSerial), the value as a number in General format and, where it has
// more than 15 significant digits, exactly as text in the column "exact"
// beside it. The sheet is the workbook's largest and is streamed, row by
// row.
func (b *book) values(rep *goalkit.Report) error {
	s, err := b.sheet("Values")
	if err != nil {
		return err
	}
	cal := b.plan.Calendar()
	var rows []kpi.Row
	if rep.Values != nil {
		rows = rep.Values.Rows()
	}
	columns := b.withName(valueColumns...)
	widths := make([]int, len(columns))
	note := func(col int, v string) {
		widths[col] = max(widths[col], utf8.RuneCountInString(v))
	}
	for i, c := range columns {
		note(i, c)
	}
	labels := map[any]string{}
	dateID := 0 // the style of a date cell, made with the first
	cells := make([][]any, len(rows))
	for i, row := range rows {
		label, ok := labels[row.Period]
		if !ok {
			label = textCell(cal.Label(row.Period))
			labels[row.Period] = label
		}
		line := []any{textCell(row.Indicator), textCell(row.Participant), label, row.Period.Start.String(), row.Period.End.String(), nil, nil}
		if row.Value.Valid {
			f, _ := row.Value.Decimal.Float64()
			line[5] = f
			if !format.Finite(row.Value.Decimal) {
				line[5] = row.Value.Decimal.String() // no number cell holds it
			}
			note(5, format.Plain.Text(row.Value))
			if !format.FitsDouble(row.Value.Decimal) {
				line[6] = row.Value.Decimal.String()
			}
		}
		for c := range 5 {
			note(c, line[c].(string))
		}
		for c, d := range [2]time.Time{row.Period.Start.MidnightUTC(), row.Period.End.MidnightUTC()} {
			if serial, ok := dateSerial(d); ok {
				if dateID == 0 {
					if dateID, err = b.styleID(style{numFmt: dateFormat}); err != nil {
						return err
					}
				}
				line[3+c] = excelize.Cell{StyleID: dateID, Value: serial}
			}
		}
		if line[6] != nil {
			note(6, line[6].(string))
		}
		if len(columns) > len(valueColumns) {
			name := textCell(b.named.Who(b.plan.ValueKind(rep, row.Participant), row.Participant))
			note(7, name)
			line = append(line, name)
		}
		cells[i] = line
	}
	sw, err := b.f.NewStreamWriter(s.name)
	if err != nil {
		return err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, columnWidth(w)); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	bold, err := b.styleID(style{bold: true})
	if err != nil {
		return err
	}
	header := make([]any, len(columns))
	for i, c := range columns {
		header[i] = excelize.Cell{StyleID: bold, Value: c}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for i, line := range cells {
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, line); err != nil {
			return err
		}
	}
	return sw.Flush()
}

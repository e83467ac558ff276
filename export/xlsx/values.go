package xlsx

import (
	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/export/internal/format"
)

// values writes the "Values" sheet: every value of the report, one row per
// indicator × participant × period as WriteCSV writes them, the value as a
// number in General format and, where a double does not hold it, exactly
// as text in the column "exact" beside it.
func (b *book) values(rep *goalkit.Report) error {
	s, err := b.sheet("Values")
	if err != nil {
		return err
	}
	s.header("indicator", "participant", "period", "period_start", "period_end", "value", "exact")
	cal := b.plan.Calendar()
	for _, row := range rep.Values.Rows() {
		s.next()
		s.text(1, row.Indicator)
		s.text(2, row.Participant)
		s.text(3, cal.Label(row.Period))
		s.text(4, row.Period.Start.String())
		s.text(5, row.Period.End.String())
		if row.Value.Valid {
			s.number(6, row.Value.Decimal, format.Plain)
			if !format.FitsDouble(row.Value.Decimal) {
				s.exact(7, row.Value.Decimal)
			}
		}
	}
	return s.finish()
}

package xlsx_test

import (
	"strconv"
	"testing"

	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/shopspring/decimal"
)

// TestPercentNoteOfItsRatio: a scorecard's achievement and a payout
// percent are stored as the ratio they stand for, and it is the ratio's
// double that must give the number back: 65242666666666670 % (a KPI's
// achievement of a huge actual) is a double exactly written, but its ratio
// 652426666666666.7 is not (the double nearest it reads 652426666666666.8),
// so its cell carries the note of its exact value. The workbook checked the
// percent's double and left the cell without a note, a tenth off.
func TestPercentNoteOfItsRatio(t *testing.T) {
	plan, rep := sample.Report(t)
	pct := decimal.RequireFromString("65242666666666670")
	ratio := pct.Shift(-2)
	// The premise, worked out with strconv: the percent's double reads
	// back as written, the ratio's does not.
	for d, back := range map[decimal.Decimal]bool{pct: true, ratio: false} {
		f, _ := d.Float64()
		if got := decimal.RequireFromString(strconv.FormatFloat(f, 'g', -1, 64)).Equal(d); got != back {
			t.Fatalf("%s reads back as written: %v, want %v", d, got, back)
		}
	}
	rep.Scores.Scorecards[0].KPIs[0].Achievement = decimal.NewNullDecimal(pct)
	rep.Scores.Bonuses[0].Percent = decimal.NewNullDecimal(pct)
	f, _ := write(t, plan, rep)
	for _, c := range []struct{ sheet, cell string }{{"Scorecards", "L2"}, {"Bonuses", "G2"}} {
		if got := number(t, f, c.sheet, c.cell); got.Equal(ratio) {
			t.Fatalf("%s!%s holds %s exactly", c.sheet, c.cell, got)
		}
		notes, err := f.GetComments(c.sheet)
		if err != nil {
			t.Fatal(err)
		}
		note := ""
		for _, n := range notes {
			if n.Cell == c.cell {
				note = noteText(n)
			}
		}
		// The note is the percent, as the cell shows it.
		if want := "exact: 65242666666666670"; note != want {
			t.Errorf("%s!%s holds %s, noted %q, want %q", c.sheet, c.cell, number(t, f, c.sheet, c.cell), note, want)
		}
	}
}

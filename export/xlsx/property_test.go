package xlsx_test

import (
	"fmt"
	"testing"

	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
	"pgregory.net/rapid"
)

// TestEveryValueExact: for random plans and event streams (sample.Random:
// huge amounts and amounts of many places), every value of the report is in
// the Values sheet exactly, in its row (its period's days as date cells):
// as the number, or as the exact text beside it when it has more than 15
// significant digits; an undefined value is a blank cell.
func TestEveryValueExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		plan, rep := sample.Random(t)
		f, _ := open(t, plan, rep)
		defer f.Close()
		rows, err := f.GetRows("Values", excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		want := rep.Values.Rows()
		if len(rows) != len(want)+1 {
			t.Fatalf("the Values sheet has %d rows, want a header and %d values", len(rows), len(want))
		}
		cal := plan.Calendar()
		for i, r := range want {
			got := append(rows[i+1], make([]string, 7)...)[:7]
			// The period's start and end are date cells: their raw values
			// are Excel's serial days.
			key := fmt.Sprintf("%s|%s|%s|%s|%s", r.Indicator, r.Participant, cal.Label(r.Period), excelSerial(r.Period.Start.MidnightUTC()), excelSerial(r.Period.End.MidnightUTC()))
			if k := fmt.Sprintf("%s|%s|%s|%s|%s", got[0], got[1], got[2], got[3], got[4]); k != key {
				t.Fatalf("row %d is %s, want %s", i+2, k, key)
			}
			switch {
			case !r.Value.Valid:
				if got[5] != "" || got[6] != "" {
					t.Fatalf("row %d (%s): undefined, yet %q %q", i+2, key, got[5], got[6])
				}
			case got[6] != "":
				if got[6] != r.Value.Decimal.String() {
					t.Fatalf("row %d (%s): exact %q, want %s", i+2, key, got[6], r.Value.Decimal)
				}
				if len(significant(r.Value.Decimal)) <= 15 {
					t.Fatalf("row %d (%s): %s has 15 digits at most, yet an exact text", i+2, key, r.Value.Decimal)
				}
			default:
				d, err := decimal.NewFromString(got[5])
				if err != nil || !d.Equal(r.Value.Decimal) {
					t.Fatalf("row %d (%s): number %q, want %s", i+2, key, got[5], r.Value.Decimal)
				}
			}
		}
	})
}

// significant is the significant digits of d, without leading or trailing
// zeros.
func significant(d decimal.Decimal) string {
	s := d.Abs().Coefficient().String()
	for len(s) > 1 && s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	return s
}

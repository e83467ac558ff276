package xlsx_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/xuri/excelize/v2"
)

// excelSerial is a day's serial number in Excel's 1900 date system,
// counted from the Unix epoch, whose serial is 25569.
func excelSerial(d time.Time) string {
	return strconv.FormatInt(25569+d.Unix()/86400, 10)
}

// TestDatesAreDates reads the Values sheet's period_start and period_end
// and the daily series' dates back: date cells (numbers in a date format)
// that a user sorts and filters as dates, shown as the report writes them.
func TestDatesAreDates(t *testing.T) {
	plan, rep := sample.Report(t)
	f, _ := write(t, plan, rep)
	check := func(sheet, cell string, day time.Time) {
		t.Helper()
		got := readCell(t, f, sheet, cell)
		want := cellOf{typ: excelize.CellTypeNumber, raw: excelSerial(day), shown: day.Format(time.DateOnly), fmt: "yyyy-mm-dd"}
		if got != want {
			t.Errorf("%s!%s: %s %q shown %q format %q, want number %q shown %q format %q",
				sheet, cell, typeNames[got.typ], got.raw, got.shown, got.fmt, want.raw, want.shown, want.fmt)
		}
	}
	cal := plan.Calendar()
	rows := rep.Values.Rows()
	if len(rows) == 0 {
		t.Fatal("the sample has no values")
	}
	for _, r := range rows {
		row := findRow(t, f, "Values", r.Indicator, r.Participant, cal.Label(r.Period))
		check("Values", fmt.Sprintf("D%d", row), r.Period.Start.MidnightUTC())
		check("Values", fmt.Sprintf("E%d", row), r.Period.End.MidnightUTC())
	}
	// 2025-03-01 is serial 45717 (2025-01-01 is 45658, and 31 + 28 days).
	if s := excelSerial(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)); s != "45717" {
		t.Fatalf("the test's serial of 2025-03-01 is %s", s)
	}
	series := 0
	for _, r := range rep.Goals.Rows {
		if len(r.Series) == 0 {
			continue
		}
		series++
		top := findRow(t, f, r.Name, "date")
		for i, p := range r.Series {
			check(r.Name, fmt.Sprintf("A%d", top+1+i), p.Date.MidnightUTC())
		}
	}
	if series == 0 {
		t.Fatal("the sample has no daily series")
	}
}

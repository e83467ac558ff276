package period

import (
	"testing"
	"time"

	"github.com/rickb777/date/v2"
)

func TestParseLabelErrors(t *testing.T) {
	c := cal(t, "UTC")
	tests := []struct{ label, want string }{
		{"", `label "": not a period label (want ` + labelForms + `)`},
		{"25-03", `label "25-03": not a period label (want ` + labelForms + `)`},
		{"2025-3", `label "2025-3": not a period label (want ` + labelForms + `)`},
		{"2025-13", `label "2025-13": month must be 1..12, got 13`},
		{"2025-00", `label "2025-00": month must be 1..12, got 0`},
		{"2025-02-29", `label "2025-02-29": not a real date: February 2025 has 28 days`},
		{"2025-02-30", `label "2025-02-30": not a real date: February 2025 has 28 days`},
		{"2025-04-31", `label "2025-04-31": not a real date: April has 30 days`},
		{"2025-13-01", `label "2025-13-01": not a real date: months are 01 to 12`},
		{"2025-00-10", `label "2025-00-10": not a real date: months are 01 to 12`},
		{"2025-01-00", `label "2025-01-00": not a real date: days start at 01`},
		{"2025-1-001", `label "2025-1-001": not a period label (want ` + labelForms + `)`},
		{"2025-02-30/P10D", `label "2025-02-30/P10D": interval starts on 2025-02-30, not a real date: February 2025 has 28 days`},
		{"2025-W00", `label "2025-W00": week must be 1..52 in 2025, got 0`},
		{"2025-W53", `label "2025-W53": week must be 1..52 in 2025, got 53`},
		{"2025-w14", `label "2025-w14": not a period label (want ` + labelForms + `)`},
		{"2025-Q5", `label "2025-Q5": quarter must be 1..4, got 5`},
		{"FY2026-Q0", `label "FY2026-Q0": quarter must be 1..4, got 0`},
		{"FY26", `label "FY26": not a period label (want ` + labelForms + `)`},
		{"FY2026Q1", `label "FY2026Q1": not a period label (want ` + labelForms + `)`},
		{"2025-03-14/P0D", `label "2025-03-14/P0D": interval length must be 1..36600 days`},
		{"2025-03-14/10D", `label "2025-03-14/10D": interval length must be a number of days such as P10D`},
		{"2025-3-14/P10D", `label "2025-3-14/P10D": interval must start with a date YYYY-MM-DD (as in 2025-03-14/P10D)`},
		{" 2025", `label " 2025": not a period label (want ` + labelForms + `)`},
		{"2025 ", `label "2025 ": not a period label (want ` + labelForms + `)`},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			p, err := c.ParseLabel(tt.label)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("ParseLabel = %v, %v; want error %q", p, err, tt.want)
			}
		})
	}
}

func TestLabels(t *testing.T) {
	mon, _, apr, _ := calendars(t)
	tests := []struct {
		c     *Calendar
		label string
		want  Period
	}{
		{mon, "2020-W53", per(Week, "2020-12-28", "2021-01-04")},
		{mon, "2026-W53", per(Week, "2026-12-28", "2027-01-04")},
		{mon, "2015-W53", per(Week, "2015-12-28", "2016-01-04")},
		{mon, "2009-W01", per(Week, "2008-12-29", "2009-01-05")},
		{mon, "0001-01", per(Month, "0001-01-01", "0001-02-01")},
		{mon, "9999-Q4", Period{Quarter, d("9999-10-01"), date.New(10000, time.January, 1)}},
		{mon, "2025-03-14/P1D", per(Day, "2025-03-14", "2025-03-15")},
		{mon, "2025-03-15/P10D", per(Days(10), "2025-03-15", "2025-03-25")},
		{apr, "FY2026", per(FiscalYear, "2025-04-01", "2026-04-01")},
		{apr, "FY2026-Q1", per(FiscalQuarter, "2025-04-01", "2025-07-01")},
		{apr, "FY2026-Q3", per(FiscalQuarter, "2025-10-01", "2026-01-01")},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			p, err := tt.c.ParseLabel(tt.label)
			if err != nil || p != tt.want {
				t.Fatalf("ParseLabel = %v, %v; want %v", p, err, tt.want)
			}
		})
	}
	// A part clipped by Split is named after the period of its start.
	if l := mon.Label(per(Week, "2025-03-01", "2025-03-03")); l != "2025-W09" {
		t.Errorf("clipped week label = %q", l)
	}
	if l := mon.Label(per(Days(10), "2000-01-05", "2000-01-08")); l != "2000-01-03/P10D" {
		t.Errorf("clipped custom label = %q", l)
	}
}

package period

import (
	"slices"
	"testing"
)

func TestSplit(t *testing.T) {
	mon, sun, apr, _ := calendars(t)
	tests := []struct {
		name string
		c    *Calendar
		p    Period
		g    Grain
		want []Period
	}{
		{"March 2025 into Monday weeks", mon, per(Month, "2025-03-01", "2025-04-01"), Week, tiles(Week, "2025-03-01", "2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24", "2025-03-31", "2025-04-01")},
		{"March 2025 into Sunday weeks", sun, per(Month, "2025-03-01", "2025-04-01"), Week, tiles(Week, "2025-03-01", "2025-03-02", "2025-03-09", "2025-03-16", "2025-03-23", "2025-03-30", "2025-04-01")},
		{"year into quarters", mon, per(Year, "2025-01-01", "2026-01-01"), Quarter, tiles(Quarter, "2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01", "2026-01-01")},
		{"2025-W01 across New Year into months", mon, per(Week, "2024-12-30", "2025-01-06"), Month, tiles(Month, "2024-12-30", "2025-01-01", "2025-01-06")},
		{"FY2026 (April) into quarters", apr, per(FiscalYear, "2025-04-01", "2026-04-01"), Quarter, tiles(Quarter, "2025-04-01", "2025-07-01", "2025-10-01", "2026-01-01", "2026-04-01")},
		{"FY2026 (April) into calendar years", apr, per(FiscalYear, "2025-04-01", "2026-04-01"), Year, tiles(Year, "2025-04-01", "2026-01-01", "2026-04-01")},
		// 2024-02-06 is 8800 days after the anchor, 2000-01-03.
		{"February 2024 into 10 days", mon, per(Month, "2024-02-01", "2024-03-01"), Days(10), tiles(Days(10), "2024-02-01", "2024-02-06", "2024-02-16", "2024-02-26", "2024-03-01")},
		{"a month into its own grain", mon, per(Month, "2024-02-01", "2024-03-01"), Month, tiles(Month, "2024-02-01", "2024-03-01")},
		{"empty", mon, per(Month, "2024-02-01", "2024-02-01"), Day, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Split(tt.p, tt.g); !slices.Equal(got, tt.want) {
				t.Fatalf("Split = %v\nwant %v", got, tt.want)
			}
		})
	}
	if got := mon.Split(per(Day, "1000-01-01", "9000-01-01"), Day); got != nil {
		t.Errorf("Split of too many parts = %d parts, want nil", len(got))
	}
}

func TestRolling(t *testing.T) {
	c := cal(t, "Europe/Berlin")
	tests := []struct {
		name    string
		days    int
		instant string
		want    Period
	}{
		{"last 7 days", 7, "2025-03-14T12:00:00Z", per(Days(7), "2025-03-08", "2025-03-15")},
		{"local date, not UTC", 7, "2025-03-14T23:30:00Z", per(Days(7), "2025-03-09", "2025-03-16")},
		{"across 29 February", 30, "2024-03-15T12:00:00Z", per(Days(30), "2024-02-15", "2024-03-16")},
		{"one day", 1, "2025-03-14T12:00:00Z", per(Day, "2025-03-14", "2025-03-15")},
		{"zero days", 0, "2025-03-14T12:00:00Z", Period{}},
		{"negative", -3, "2025-03-14T12:00:00Z", Period{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Rolling(tt.days, utc(t, tt.instant)); got != tt.want {
				t.Fatalf("Rolling = %v, want %v", got, tt.want)
			}
		})
	}
	w := c.Rolling(7, utc(t, "2025-03-14T12:00:00Z"))
	if got, want := c.Prev(w), per(Days(7), "2025-03-01", "2025-03-08"); got != want {
		t.Errorf("Prev(rolling) = %v, want %v", got, want)
	}
	if l := c.Label(w); l != "2025-03-08/P7D" {
		t.Errorf("Label(rolling) = %q", l)
	}
}

package period

import (
	"math"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
)

func TestContaining(t *testing.T) {
	mon, sun, apr, oct := calendars(t)
	tests := []struct {
		name  string
		c     *Calendar
		g     Grain
		day   string
		want  Period
		label string
	}{
		{"day", mon, Day, "2025-03-14", per(Day, "2025-03-14", "2025-03-15"), "2025-03-14"},
		{"29 February", mon, Day, "2024-02-29", per(Day, "2024-02-29", "2024-03-01"), "2024-02-29"},
		{"February of a leap year", mon, Month, "2024-02-29", per(Month, "2024-02-01", "2024-03-01"), "2024-02"},
		{"February", mon, Month, "2025-02-28", per(Month, "2025-02-01", "2025-03-01"), "2025-02"},
		{"leap year", mon, Year, "2024-02-29", per(Year, "2024-01-01", "2025-01-01"), "2024"},
		{"quarter", mon, Quarter, "2025-05-15", per(Quarter, "2025-04-01", "2025-07-01"), "2025-Q2"},
		{"quarter end", mon, Quarter, "2025-12-31", per(Quarter, "2025-10-01", "2026-01-01"), "2025-Q4"},
		{"week 14", mon, Week, "2025-04-02", per(Week, "2025-03-31", "2025-04-07"), "2025-W14"},
		{"week 1 starts in December", mon, Week, "2025-12-31", per(Week, "2025-12-29", "2026-01-05"), "2026-W01"},
		{"week 1 of 2026 from its Sunday", mon, Week, "2026-01-04", per(Week, "2025-12-29", "2026-01-05"), "2026-W01"},
		{"week 53 of 2020", mon, Week, "2021-01-03", per(Week, "2020-12-28", "2021-01-04"), "2020-W53"},
		{"week 53 of 2020 from its Monday", mon, Week, "2020-12-28", per(Week, "2020-12-28", "2021-01-04"), "2020-W53"},
		{"week 1 of 2021", mon, Week, "2021-01-04", per(Week, "2021-01-04", "2021-01-11"), "2021-W01"},
		{"last week of 2024 is 2025-W01", mon, Week, "2024-12-31", per(Week, "2024-12-30", "2025-01-06"), "2025-W01"},
		{"week 52 of 2022 holds 1 January 2023", mon, Week, "2023-01-01", per(Week, "2022-12-26", "2023-01-02"), "2022-W52"},
		{"Sunday week", sun, Week, "2025-04-02", per(Week, "2025-03-30", "2025-04-06"), "2025-W14"},
		{"Sunday week 53 of 2025", sun, Week, "2025-12-31", per(Week, "2025-12-28", "2026-01-04"), "2025-W53"},
		{"Sunday week 1 of 2026", sun, Week, "2026-01-04", per(Week, "2026-01-04", "2026-01-11"), "2026-W01"},
		{"fiscal April: FY2026-Q1", apr, FiscalQuarter, "2025-05-15", per(FiscalQuarter, "2025-04-01", "2025-07-01"), "FY2026-Q1"},
		{"fiscal April: FY2026-Q4", apr, FiscalQuarter, "2026-03-31", per(FiscalQuarter, "2026-01-01", "2026-04-01"), "FY2026-Q4"},
		{"fiscal April: FY2026", apr, FiscalYear, "2025-04-01", per(FiscalYear, "2025-04-01", "2026-04-01"), "FY2026"},
		{"fiscal April: FY2025", apr, FiscalYear, "2025-03-31", per(FiscalYear, "2024-04-01", "2025-04-01"), "FY2025"},
		{"fiscal April: 29 February in FY2024", apr, FiscalYear, "2024-02-29", per(FiscalYear, "2023-04-01", "2024-04-01"), "FY2024"},
		{"fiscal October: FY2026", oct, FiscalYear, "2025-10-01", per(FiscalYear, "2025-10-01", "2026-10-01"), "FY2026"},
		{"fiscal October: FY2026-Q1", oct, FiscalQuarter, "2025-12-31", per(FiscalQuarter, "2025-10-01", "2026-01-01"), "FY2026-Q1"},
		{"fiscal October: FY2025-Q4", oct, FiscalQuarter, "2025-09-30", per(FiscalQuarter, "2025-07-01", "2025-10-01"), "FY2025-Q4"},
		{"fiscal October: FY2026-Q2", oct, FiscalQuarter, "2026-01-01", per(FiscalQuarter, "2026-01-01", "2026-04-01"), "FY2026-Q2"},
		{"fiscal January: FY2025", mon, FiscalYear, "2025-06-30", per(FiscalYear, "2025-01-01", "2026-01-01"), "FY2025"},
		{"fiscal January: FY2025-Q3", mon, FiscalQuarter, "2025-07-01", per(FiscalQuarter, "2025-07-01", "2025-10-01"), "FY2025-Q3"},
		{"10 days from the anchor", mon, Days(10), "2000-01-12", per(Days(10), "2000-01-03", "2000-01-13"), "2000-01-03/P10D"},
		{"10 days before the anchor", mon, Days(10), "2000-01-02", per(Days(10), "1999-12-24", "2000-01-03"), "1999-12-24/P10D"},
		{"14 days", mon, Days(14), "2025-03-14", per(Days(14), "2025-03-10", "2025-03-24"), "2025-03-10/P14D"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.c.Containing(tt.g, d(tt.day))
			if got != tt.want {
				t.Fatalf("Containing = %v, want %v", got, tt.want)
			}
			if l := tt.c.Label(got); l != tt.label {
				t.Errorf("Label = %q, want %q", l, tt.label)
			}
			back, err := tt.c.ParseLabel(tt.label)
			if err != nil || back != tt.want {
				t.Errorf("ParseLabel(%q) = %v, %v", tt.label, back, err)
			}
		})
	}
}

func TestNextPrevShift(t *testing.T) {
	c := cal(t, "Europe/Berlin", WithFiscalStart(time.April))
	tests := []struct {
		name       string
		p          Period
		next, prev Period
	}{
		{"month after February", per(Month, "2024-02-01", "2024-03-01"), per(Month, "2024-03-01", "2024-04-01"), per(Month, "2024-01-01", "2024-02-01")},
		{"week across New Year", per(Week, "2025-12-29", "2026-01-05"), per(Week, "2026-01-05", "2026-01-12"), per(Week, "2025-12-22", "2025-12-29")},
		{"quarter across New Year", per(Quarter, "2025-10-01", "2026-01-01"), per(Quarter, "2026-01-01", "2026-04-01"), per(Quarter, "2025-07-01", "2025-10-01")},
		{"fiscal year", per(FiscalYear, "2025-04-01", "2026-04-01"), per(FiscalYear, "2026-04-01", "2027-04-01"), per(FiscalYear, "2024-04-01", "2025-04-01")},
		{"fiscal quarter", per(FiscalQuarter, "2026-01-01", "2026-04-01"), per(FiscalQuarter, "2026-04-01", "2026-07-01"), per(FiscalQuarter, "2025-10-01", "2026-01-01")},
		{"day on 29 February", per(Day, "2024-02-29", "2024-03-01"), per(Day, "2024-03-01", "2024-03-02"), per(Day, "2024-02-28", "2024-02-29")},
		{"rolling 7 days", per(Days(7), "2025-03-10", "2025-03-17"), per(Days(7), "2025-03-17", "2025-03-24"), per(Days(7), "2025-03-03", "2025-03-10")},
		{"clipped week: the week of its start", per(Week, "2025-03-01", "2025-03-03"), per(Week, "2025-03-03", "2025-03-10"), per(Week, "2025-02-17", "2025-02-24")},
		{"clipped month", per(Month, "2025-12-29", "2026-01-01"), per(Month, "2026-01-01", "2026-02-01"), per(Month, "2025-11-01", "2025-12-01")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Next(tt.p); got != tt.next {
				t.Errorf("Next = %v, want %v", got, tt.next)
			}
			if got := c.Prev(tt.p); got != tt.prev {
				t.Errorf("Prev = %v, want %v", got, tt.prev)
			}
		})
	}
	m := per(Month, "2025-01-01", "2025-02-01")
	if got, want := c.Shift(m, 13), per(Month, "2026-02-01", "2026-03-01"); got != want {
		t.Errorf("Shift(+13) = %v, want %v", got, want)
	}
	if got, want := c.Shift(m, -12), per(Month, "2024-01-01", "2024-02-01"); got != want {
		t.Errorf("Shift(-12) = %v, want %v", got, want)
	}
	if got := c.Shift(m, 0); got != m {
		t.Errorf("Shift(0) = %v", got)
	}
	// A move past about three billion years is refused with the zero
	// Period: the arithmetic of dates overflowed, so MaxInt days back made
	// a day that ended before it began and 2^40 years a year of 15 April.
	type move struct {
		p Period
		n int
	}
	far := []move{
		{Period{Grain: Day, Start: 1 << 50, End: 1<<50 + 1}, 1},
	}
	if strconv.IntSize == 64 { // moves an int of 32 bits cannot make
		far = append(far, []move{
			{per(Day, "2025-01-01", "2025-01-02"), math.MaxInt},
			{per(Day, "2025-01-01", "2025-01-02"), math.MinInt},
			{m, math.MaxInt},
			{per(Year, "2025-01-01", "2026-01-01"), one << 40},
			{per(Days(7), "2025-01-01", "2025-01-08"), -one << 40},
		}...)
	}
	for _, tt := range far {
		if got := c.Shift(tt.p, tt.n); !got.IsZero() {
			t.Errorf("Shift(%v, %d) = %v, want the zero Period", tt.p, tt.n, got)
		}
	}
	// Far, but within: the dates are the calendar's own.
	y := per(Year, "2025-01-01", "2026-01-01")
	if got, want := c.Shift(y, 1_000_000), (Period{Grain: Year, Start: date.New(1002025, 1, 1), End: date.New(1002026, 1, 1)}); got != want {
		t.Errorf("Shift(year, 1e6) = %v, want %v", got, want)
	}
}

func TestPeriods(t *testing.T) {
	c := cal(t, "UTC")
	tests := []struct {
		name     string
		g        Grain
		from, to string
		want     []Period
	}{
		{"months starting in the range", Month, "2025-01-15", "2025-04-01", tiles(Month, "2025-02-01", "2025-03-01", "2025-04-01")},
		{"a month starting on to is out", Month, "2025-01-01", "2025-03-01", tiles(Month, "2025-01-01", "2025-02-01", "2025-03-01")},
		{"no month starts", Month, "2025-03-05", "2025-03-20", []Period{}},
		{"weeks across New Year", Week, "2025-12-25", "2026-01-12", tiles(Week, "2025-12-29", "2026-01-05", "2026-01-12")},
		{"days", Day, "2024-02-28", "2024-03-02", tiles(Day, "2024-02-28", "2024-02-29", "2024-03-01", "2024-03-02")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Periods(tt.g, d(tt.from), d(tt.to))
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("Periods = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
	_, err := c.Periods(Day, d("2025-01-02"), d("2025-01-01"))
	if err == nil || err.Error() != "periods of day from 2025-01-02 to 2025-01-01: empty range" {
		t.Errorf("reversed range: %v", err)
	}
	_, err = c.Periods(Day, d("1000-01-01"), d("9000-01-01"))
	if err == nil || err.Error() != "periods of day from 1000-01-01 to 9000-01-01: more than 1048576 periods" {
		t.Errorf("huge range: %v", err)
	}
}

func TestPeriodMethods(t *testing.T) {
	p := per(Month, "2024-02-01", "2024-03-01")
	if !p.Contains(d("2024-02-29")) || p.Contains(d("2024-03-01")) || p.Contains(d("2024-01-31")) {
		t.Error("Contains")
	}
	if p.Days() != 29 || (Period{}).Days() != 0 || per(Day, "2025-01-02", "2025-01-01").Days() != 0 {
		t.Error("Days")
	}
	if p.IsZero() || !(Period{}).IsZero() {
		t.Error("IsZero")
	}
	if !p.Overlaps(per(Day, "2024-02-29", "2024-03-01")) || p.Overlaps(per(Day, "2024-03-01", "2024-03-02")) {
		t.Error("Overlaps")
	}
	if s := p.String(); s != "month [2024-02-01, 2024-03-01)" {
		t.Errorf("String = %q", s)
	}
}

// one is 1 as a variable, so that one << 40 compiles where an int has 32
// bits (it is then 0, and the cases that use it are left out).
var one = 1

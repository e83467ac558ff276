package period

import (
	"testing"
	"time"
)

// elapsedCase is a period of a calendar, a moment and the part of the period
// elapsed by then.
type elapsedCase struct {
	name  string
	c     *Calendar
	p     Period
	local string // wall-clock time in the calendar's zone
	want  Fraction
}

func testElapsed(t *testing.T, basis Basis, tests []elapsedCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.c.Elapsed(tt.p, at(t, tt.c, tt.local), basis)
			if got != tt.want {
				t.Fatalf("Elapsed = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestElapsedCalendarTime(t *testing.T) {
	berlin := cal(t, "Europe/Berlin")
	ny := cal(t, "America/New_York")
	testElapsed(t, CalendarTime, []elapsedCase{
		{"before the start", berlin, per(Day, "2025-03-14", "2025-03-15"), "2025-03-13 23:00:00", Fraction{0, 1}},
		{"at the start", berlin, per(Day, "2025-03-14", "2025-03-15"), "2025-03-14 00:00:00", Fraction{0, 1}},
		{"noon of a normal day", berlin, per(Day, "2025-03-14", "2025-03-15"), "2025-03-14 12:00:00", Fraction{1, 2}},
		{"at the end", berlin, per(Day, "2025-03-14", "2025-03-15"), "2025-03-15 00:00:00", Fraction{1, 1}},
		{"after the end", berlin, per(Day, "2025-03-14", "2025-03-15"), "2025-04-01 00:00:00", Fraction{1, 1}},
		// 30 March 2025 has 23 hours in Berlin: noon is 11 hours in.
		{"noon of a 23-hour day", berlin, per(Day, "2025-03-30", "2025-03-31"), "2025-03-30 12:00:00", Fraction{11, 23}},
		// 26 October 2025 has 25 hours: noon is 13 hours in.
		{"noon of a 25-hour day", berlin, per(Day, "2025-10-26", "2025-10-27"), "2025-10-26 12:00:00", Fraction{13, 25}},
		{"noon of a 23-hour day in New York", ny, per(Day, "2025-03-09", "2025-03-10"), "2025-03-09 12:00:00", Fraction{11, 23}},
		{"noon of a 25-hour day in New York", ny, per(Day, "2025-11-02", "2025-11-03"), "2025-11-02 12:00:00", Fraction{13, 25}},
		// March 2025 in Berlin has 31*24-1 = 743 hours; 719 are over by the 31st.
		{"March with the spring change", berlin, per(Month, "2025-03-01", "2025-04-01"), "2025-03-31 00:00:00", Fraction{719, 743}},
		{"leap February half way", berlin, per(Month, "2024-02-01", "2024-03-01"), "2024-02-15 12:00:00", Fraction{1, 2}},
		{"week 2026-W01 across New Year", ny, per(Week, "2025-12-29", "2026-01-05"), "2026-01-01 00:00:00", Fraction{3, 7}},
	})
}

func TestElapsedWorkingTime(t *testing.T) {
	msk := cal(t, "Europe/Moscow", WithWorkdays(ru(t)))
	berlin := cal(t, "Europe/Berlin")
	// November 2025 in Russia: 19 working days, 151 hours: Saturday 1
	// November is worked and shortened to 7 hours before the holidays.
	nov := per(Month, "2025-11-01", "2025-12-01")
	testElapsed(t, WorkingTime, []elapsedCase{
		{"shortened working Saturday half way: 3.5 / 151", msk, nov, "2025-11-01 12:00:00", Fraction{7, 302}},
		{"days off after it", msk, nov, "2025-11-03 12:00:00", Fraction{7, 151}},
		{"Wednesday 5 November at noon: (7 + 4) / 151", msk, nov, "2025-11-05 12:00:00", Fraction{11, 151}},
		{"last day at 18:00: (143 + 6) / 151", msk, nov, "2025-11-28 18:00:00", Fraction{149, 151}},
		{"all working days over on Saturday 29th", msk, nov, "2025-11-29 10:00:00", Fraction{1, 1}},
		{"at the end", msk, nov, "2025-12-01 00:00:00", Fraction{1, 1}},
		{"before the start", msk, nov, "2025-10-31 23:59:59", Fraction{0, 1}},
		// Monday 31 March 2025 follows the 23-hour Sunday; a week of 5 working days.
		{"23-hour weekend day counts nothing", berlin, per(Week, "2025-03-24", "2025-03-31"), "2025-03-30 12:00:00", Fraction{1, 1}},
		{"working day after the change", berlin, per(Week, "2025-03-31", "2025-04-07"), "2025-03-31 06:00:00", Fraction{1, 20}},
		{"weekend only: before the end", berlin, per(Days(2), "2025-03-15", "2025-03-17"), "2025-03-16 12:00:00", Fraction{0, 1}},
		{"weekend only: at the end", berlin, per(Days(2), "2025-03-15", "2025-03-17"), "2025-03-17 00:00:00", Fraction{1, 1}},
	})
}

func TestElapsedWorkingDayOfDST(t *testing.T) {
	// Every day a working day: the 25-hour Sunday in New York counts by its
	// elapsed part.
	all, err := NewWorkCalendar("all", []time.Weekday{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := cal(t, "America/New_York", WithWorkdays(all))
	p := per(Days(2), "2025-11-01", "2025-11-03")
	got := c.Elapsed(p, at(t, c, "2025-11-02 12:00:00"), WorkingTime)
	// One whole day and 13 of the 25 hours of the second, over two days.
	if want := (Fraction{19, 25}); got != want {
		t.Fatalf("Elapsed = %v, want %v", got, want)
	}
}

func TestElapsedEmptyAndBasis(t *testing.T) {
	c := cal(t, "UTC")
	empty := per(Day, "2025-03-14", "2025-03-14")
	if got := c.Elapsed(empty, utc(t, "2025-03-13T12:00:00Z"), CalendarTime); got != (Fraction{0, 1}) {
		t.Errorf("empty before: %v", got)
	}
	if got := c.Elapsed(empty, utc(t, "2025-03-14T00:00:00Z"), WorkingTime); got != (Fraction{1, 1}) {
		t.Errorf("empty at: %v", got)
	}
	p := per(Day, "2025-03-14", "2025-03-15")
	if got := c.Elapsed(p, utc(t, "2025-03-14T06:00:00Z"), Basis(9)); got != (Fraction{1, 4}) {
		t.Errorf("unknown basis: %v", got)
	}
	if CalendarTime.String() != "calendar" || WorkingTime.String() != "working" || Basis(9).String() != "basis(9)" {
		t.Error("Basis.String")
	}
}

func TestFraction(t *testing.T) {
	f := Fraction{2, 3}
	for _, tt := range []struct {
		places int32
		want   string
	}{{0, "1"}, {2, "0.67"}, {4, "0.6667"}} {
		if got := f.Decimal(tt.places).String(); got != tt.want {
			t.Errorf("Decimal(%d) = %s, want %s", tt.places, got, tt.want)
		}
	}
	if got := (Fraction{}).Decimal(2).String(); got != "0" {
		t.Errorf("zero Fraction: %s", got)
	}
	if got := (Fraction{1, 8}).Decimal(2).String(); got != "0.13" {
		t.Errorf("half rounds away from zero: %s", got)
	}
	cmps := []struct {
		a, b Fraction
		want int
	}{
		{Fraction{1, 2}, Fraction{2, 4}, 0},
		{Fraction{1, 3}, Fraction{1, 2}, -1},
		{Fraction{1, 1}, Fraction{999, 1000}, 1},
		{Fraction{1 << 62, 1<<62 + 1}, Fraction{1<<62 - 1, 1 << 62}, 1},
		{Fraction{1, -2}, Fraction{0, 1}, -1},
	}
	for _, tt := range cmps {
		if got := tt.a.Cmp(tt.b); got != tt.want {
			t.Errorf("%v.Cmp(%v) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	if s := f.String(); s != "2/3" {
		t.Errorf("String = %q", s)
	}
	if got := newFraction(30, 45); got != (Fraction{2, 3}) {
		t.Errorf("newFraction = %v", got)
	}
	if got := newFraction(0, 45); got != (Fraction{0, 1}) {
		t.Errorf("newFraction(0) = %v", got)
	}
}

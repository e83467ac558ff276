package period

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	derived, err := NewWorkCalendar("gaps", nil, []NamedDay{{Date: d("2025-01-01")}, {Date: d("2027-01-01")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	declared, err := NewWorkCalendar("declared", nil, []NamedDay{{Date: d("2025-01-01")}}, nil, WithYears(2024, 2026))
	if err != nil {
		t.Fatal(err)
	}
	weekends, err := NewWorkCalendar("lenient", nil, []NamedDay{{Date: d("2025-01-01")}}, nil, WithFallback(WeekendsFallback))
	if err != nil {
		t.Fatal(err)
	}
	var none *WorkCalendar
	tests := []struct {
		name     string
		w        *WorkCalendar
		from, to string
		want     string // "" for no error
	}{
		{"inside", derived, "2025-01-01", "2026-01-01", ""},
		{"a gap year", derived, "2025-12-31", "2027-01-02", "2026-01-01 is outside the working-day calendar gaps (years 2025, 2027): add the year to the calendar, or declare outside: weekends"},
		{"before", derived, "2024-06-15", "2025-02-01", "2024-06-15 is outside the working-day calendar gaps (years 2025, 2027): add the year to the calendar, or declare outside: weekends"},
		{"empty range", derived, "2020-01-01", "2020-01-01", ""},
		{"reversed range", derived, "2021-01-01", "2020-01-01", ""},
		{"declared years", declared, "2024-01-01", "2027-01-01", ""},
		{"after the declared years", declared, "2026-12-31", "2027-01-02", "2027-01-01 is outside the working-day calendar declared (years 2024-2026): add the year to the calendar, or declare outside: weekends"},
		{"weekends fallback", weekends, "1990-01-01", "2100-01-01", ""},
		{"the default calendar", none, "1990-01-01", "2100-01-01", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.w.Check(d(tt.from), d(tt.to))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Check = %v", err)
				}
				return
			}
			var oe *OutsideError
			if err == nil || err.Error() != tt.want || !errors.As(err, &oe) || oe.Calendar != tt.w.Name() {
				t.Fatalf("Check = %v\nwant %s", err, tt.want)
			}
		})
	}
	unnamed := &OutsideError{Date: d("2023-05-01")}
	if got := unnamed.Error(); got != "2023-05-01 is outside the working-day calendar (no years): add the year to the calendar, or declare outside: weekends" {
		t.Errorf("unnamed: %s", got)
	}
	// The name comes from a calendar file: a line break or a terminal
	// escape in it is escaped, so the message stays one line.
	odd := &OutsideError{Calendar: "RU\n\x1b[2J\u202e", Date: d("2023-05-01"), Years: []int{2024}}
	if got := odd.Error(); got != `2023-05-01 is outside the working-day calendar RU\n\x1b[2J\u202e (years 2024): add the year to the calendar, or declare outside: weekends` {
		t.Errorf("odd name: %s", got)
	}
	if NoFallback.String() != "error" || WeekendsFallback.String() != "weekends" || Fallback(7).String() != "fallback(7)" {
		t.Error("Fallback.String")
	}
}

func TestNewWorkCalendarOptions(t *testing.T) {
	w, err := NewWorkCalendar("ru-like", nil,
		[]NamedDay{{Date: d("2025-03-10")}},
		[]NamedDay{{Date: d("2025-11-01")}},
		WithShortened(ShortDay{Date: d("2025-11-01"), Name: "pre-holiday"}, ShortDay{Date: d("2025-03-07"), Hours: 6 * time.Hour}),
		WithDayHours(7*time.Hour), WithYears(2025, 2025), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []ShortDay{{Date: d("2025-03-07"), Hours: 6 * time.Hour}, {Date: d("2025-11-01"), Name: "pre-holiday", Hours: 6 * time.Hour}}
	if got := w.Shortened(); !slices.Equal(got, want) || w.DayHours() != 7*time.Hour {
		t.Errorf("Shortened = %v, DayHours = %v", got, w.DayHours())
	}
	tests := []struct {
		name string
		opts []WorkOption
		want string
	}{
		{"day too long", []WorkOption{WithDayHours(25 * time.Hour)}, "hours: a working day must last more than 0 and at most 24 hours in whole minutes, got 25h0m0s"},
		{"day in seconds", []WorkOption{WithDayHours(8*time.Hour + time.Second)}, "hours: a working day must last more than 0 and at most 24 hours in whole minutes, got 8h0m1s"},
		{"missing date", []WorkOption{WithShortened(ShortDay{Name: "x"})}, "shortened[0]: missing date"},
		{"twice", []WorkOption{WithShortened(ShortDay{Date: d("2025-03-07")}, ShortDay{Date: d("2025-03-07")})}, "shortened[1]: duplicate date 2025-03-07 (also shortened[0])"},
		{"a holiday", []WorkOption{WithShortened(ShortDay{Date: d("2025-03-10")})}, "shortened[0]: 2025-03-10 is listed both as a holiday (holidays[0]) and as a shortened day"},
		{"a Sunday", []WorkOption{WithShortened(ShortDay{Date: d("2025-03-09")})}, "shortened[0]: 2025-03-09 is a sunday, not a working day: list it in workdays too if it is worked"},
		{"negative hours", []WorkOption{WithShortened(ShortDay{Date: d("2025-03-07"), Hours: -time.Hour})}, "shortened[0]: hours -1 must be more than 0 and less than the working day (8) in whole minutes"},
		{"negative half hour", []WorkOption{WithShortened(ShortDay{Date: d("2025-03-07"), Hours: -30 * time.Minute})}, "shortened[0]: hours -0.5 must be more than 0 and less than the working day (8) in whole minutes"},
		{"a full day", []WorkOption{WithShortened(ShortDay{Date: d("2025-03-07"), Hours: 8 * time.Hour})}, "shortened[0]: hours 8 must be more than 0 and less than the working day (8) in whole minutes"},
		{"odd hours", []WorkOption{WithShortened(ShortDay{Date: d("2025-03-07"), Hours: 7*time.Hour + 20*time.Minute + time.Second})}, "shortened[0]: hours 7h20m1s must be more than 0 and less than the working day (8) in whole minutes"},
		{"years reversed", []WorkOption{WithYears(2026, 2024)}, "years: years must run from a first to a last year, within 1 to 9999, got 2026 to 2024"},
		{"outside the years", []WorkOption{WithYears(2026, 2027)}, "holidays[0]: 2025-03-10 is outside the declared years 2026-2027\nworkdays[0]: 2025-11-01 is outside the declared years 2026-2027"},
		{"bad fallback", []WorkOption{WithFallback(Fallback(3))}, "outside: unknown fallback 3 (want error or weekends)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := NewWorkCalendar("x", nil, []NamedDay{{Date: d("2025-03-10")}}, []NamedDay{{Date: d("2025-11-01")}}, tt.opts...)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("NewWorkCalendar = %v, %v\nwant error %q", w, err, tt.want)
			}
		})
	}
}

func TestMergeCoverage(t *testing.T) {
	mk := func(name string, year int, opts ...WorkOption) *WorkCalendar {
		w, err := NewWorkCalendar(name, nil, []NamedDay{{Date: d("2025-01-01")}}, nil, append([]WorkOption{WithYears(2025, year)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	to2026, to2027 := mk("a", 2026), mk("b", 2027)
	lenient := mk("c", 2028, WithFallback(WeekendsFallback))
	tests := []struct {
		name     string
		m        *WorkCalendar
		years    []int
		fallback Fallback
	}{
		{"intersection", to2026.Merge(to2027), []int{2025, 2026}, NoFallback},
		{"with the default", to2027.Merge(nil), []int{2025, 2026, 2027}, NoFallback},
		{"default first", (*WorkCalendar)(nil).Merge(to2026), []int{2025, 2026}, NoFallback},
		{"a lenient one does not narrow", to2026.Merge(lenient), []int{2025, 2026}, NoFallback},
		{"both lenient", lenient.Merge(lenient), []int{2025, 2026, 2027, 2028}, WeekendsFallback},
		{"both default", (*WorkCalendar)(nil).Merge(nil), nil, NoFallback},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.Years(); !slices.Equal(got, tt.years) || tt.m.Fallback() != tt.fallback {
				t.Fatalf("Years = %v, Fallback = %v; want %v, %v", got, tt.m.Fallback(), tt.years, tt.fallback)
			}
		})
	}
	apart := mk("d", 2025).Merge(func() *WorkCalendar {
		w, err := NewWorkCalendar("e", nil, []NamedDay{{Date: d("2027-01-01")}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}())
	if got := apart.Years(); got == nil || len(got) != 0 || apart.Check(d("2025-01-01"), d("2025-01-02")) == nil {
		t.Errorf("disjoint years: %v", got)
	}
}

package period

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
)

func TestNewWorkCalendarErrors(t *testing.T) {
	tests := []struct {
		name               string
		weekends           []time.Weekday
		holidays, workdays []NamedDay
		want               string
	}{
		{"every day off", []time.Weekday{0, 1, 2, 3, 4, 5, 6}, nil, nil, "weekends: every day of the week is a weekend day"},
		{"bad weekday", []time.Weekday{7}, nil, nil, "weekends[0]: not a weekday: 7"},
		{"missing date", nil, []NamedDay{{Name: "x"}}, nil, "holidays[0]: missing date"},
		{"duplicates", nil,
			[]NamedDay{{Date: d("2025-01-01")}, {Date: d("2025-01-02")}, {Date: d("2025-01-01")}},
			[]NamedDay{{Date: d("2025-01-02")}},
			"holidays[2]: duplicate date 2025-01-01 (also holidays[0])\nworkdays[0]: duplicate date 2025-01-02 (also holidays[1])"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := NewWorkCalendar("x", tt.weekends, tt.holidays, tt.workdays)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("NewWorkCalendar = %v, %v; want error %q", w, err, tt.want)
			}
		})
	}
}

func TestWorkCalendar(t *testing.T) {
	w, err := NewWorkCalendar("test", nil,
		[]NamedDay{{Date: d("2025-01-01"), Name: "New Year"}, {Date: d("2025-01-04"), Name: "on a Saturday"}},
		[]NamedDay{{Date: d("2025-01-11"), Name: "worked Saturday"}})
	if err != nil {
		t.Fatal(err)
	}
	if w.Name() != "test" || !slices.Equal(w.Weekends(), []time.Weekday{time.Sunday, time.Saturday}) {
		t.Errorf("Name/Weekends = %q %v", w.Name(), w.Weekends())
	}
	tests := []struct {
		day  string
		work bool
	}{
		{"2024-12-31", true}, {"2025-01-01", false}, {"2025-01-02", true}, {"2025-01-04", false},
		{"2025-01-05", false}, {"2025-01-11", true}, {"2025-01-12", false},
	}
	for _, tt := range tests {
		if got := w.IsWorkday(d(tt.day)); got != tt.work {
			t.Errorf("IsWorkday(%s) = %v", tt.day, got)
		}
	}
	// January 2025 has 23 weekdays; 1 January is off, Saturday 11th is worked.
	if n := w.CountWorkdays(d("2025-01-01"), d("2025-02-01")); n != 23 {
		t.Errorf("January: %d working days, want 23", n)
	}
	if n := w.CountWorkdays(d("2025-02-01"), d("2025-01-01")); n != 0 {
		t.Errorf("reversed: %d", n)
	}
	if name, ok := w.Holiday(d("2025-01-04")); !ok || name != "on a Saturday" {
		t.Errorf("Holiday = %q, %v", name, ok)
	}
	if _, ok := w.Holiday(d("2025-01-05")); ok {
		t.Error("Holiday on a plain Sunday")
	}
	if got := w.Years(); !slices.Equal(got, []int{2025}) {
		t.Errorf("Years = %v", got)
	}

	none, err := NewWorkCalendar("seven days", []time.Weekday{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := none.CountWorkdays(d("2025-01-01"), d("2025-02-01")); n != 31 || len(none.Weekends()) != 0 {
		t.Errorf("no weekends: %d working days, weekends %v", n, none.Weekends())
	}
}

func TestDefaultWorkCalendar(t *testing.T) {
	var w *WorkCalendar
	for _, x := range []*WorkCalendar{w, new(WorkCalendar)} {
		if x.IsWorkday(d("2025-03-15")) || !x.IsWorkday(d("2025-03-14")) {
			t.Error("IsWorkday")
		}
		if n := x.CountWorkdays(d("2025-03-01"), d("2025-04-01")); n != 21 {
			t.Errorf("March 2025: %d working days, want 21", n)
		}
		if x.Name() != "" || x.Holidays() != nil || x.Workdays() != nil || x.Years() != nil || x.Source() != "" {
			t.Error("accessors")
		}
	}
	c := cal(t, "UTC")
	if n := c.Workdays(per(Month, "2024-02-01", "2024-03-01")); n != 21 {
		t.Errorf("February 2024: %d working days, want 21", n)
	}
}

func TestMerge(t *testing.T) {
	de, err := BuiltinWorkCalendar("DE")
	if err != nil {
		t.Fatal(err)
	}
	by, err := LoadWorkCalendar("testdata/bavaria.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := de.Merge(by)
	if m.Name() != "DE+BY" || m.Source() != de.Source() {
		t.Errorf("Name = %q, Source = %q", m.Name(), m.Source())
	}
	if len(m.Holidays()) != len(de.Holidays())+3 {
		t.Errorf("%d holidays", len(m.Holidays()))
	}
	// June 2025 in Bavaria: 21 weekdays, minus Whit Monday and Corpus Christi.
	if n := m.CountWorkdays(d("2025-06-01"), d("2025-07-01")); n != 19 {
		t.Errorf("June 2025 in Bavaria: %d working days, want 19", n)
	}
	// The later calendar wins: a working day replaces a holiday.
	work, err := NewWorkCalendar("office", nil, nil, []NamedDay{{Date: d("2025-06-19"), Name: "open"}})
	if err != nil {
		t.Fatal(err)
	}
	m2 := m.Merge(work)
	if !m2.IsWorkday(d("2025-06-19")) || m.IsWorkday(d("2025-06-19")) {
		t.Error("Merge precedence")
	}
	if n := m2.CountWorkdays(d("2025-06-01"), d("2025-07-01")); n != 20 {
		t.Errorf("June 2025 merged: %d", n)
	}
	var nilCal *WorkCalendar
	if nilCal.Merge(by).Name() != "BY" || by.Merge(nil).Name() != "BY" {
		t.Error("Merge with nil")
	}
}

// TestRussia checks the shipped production calendar, month by month, in
// working days and working hours at 40 hours a week (8 hours a day, one hour
// less on a pre-holiday day: Order No. 588n of the Ministry of Health and
// Social Development of 13 August 2009). The months follow from the Labour
// Code (articles 95 and 112) and the Government decrees No. 1314 of
// 10 August 2023, No. 1335 of 4 October 2024 and No. 1466 of 24 September
// 2025; they agree with the published totals that docs/calendars.md lists:
// 248 and 247 working days, 118 days off, the quarters of 2026.
func TestRussia(t *testing.T) {
	w := ru(t)
	c := cal(t, "Europe/Moscow", WithWorkdays(w))
	type year struct {
		days, hours [12]int
		totalDays   int
		totalHours  int
	}
	want := map[int]year{
		2024: {
			days:      [12]int{17, 20, 20, 21, 20, 19, 23, 22, 21, 23, 21, 21},
			hours:     [12]int{136, 159, 159, 168, 159, 151, 184, 176, 168, 184, 167, 168},
			totalDays: 248, totalHours: 1979,
		},
		2025: {
			days:      [12]int{17, 20, 21, 22, 18, 19, 23, 21, 22, 23, 19, 22},
			hours:     [12]int{136, 160, 167, 175, 144, 151, 184, 168, 176, 184, 151, 176},
			totalDays: 247, totalHours: 1972,
		},
		2026: {
			days:      [12]int{15, 19, 21, 22, 19, 21, 23, 21, 22, 22, 20, 22},
			hours:     [12]int{120, 152, 168, 175, 151, 167, 184, 168, 176, 176, 159, 176},
			totalDays: 247, totalHours: 1972,
		},
	}
	for y, wy := range want {
		sumDays, sumHours := 0, 0
		for m := range 12 {
			p := c.Containing(Month, date.New(y, time.Month(m+1), 1))
			if got := c.Workdays(p); got != wy.days[m] {
				t.Errorf("%s: %d working days, want %d", c.Label(p), got, wy.days[m])
			}
			if got := w.WorkingHours(p.Start, p.End); got != time.Duration(wy.hours[m])*time.Hour {
				t.Errorf("%s: %v working hours, want %d", c.Label(p), got, wy.hours[m])
			}
			sumDays += wy.days[m]
			sumHours += wy.hours[m]
		}
		p := c.Containing(Year, date.New(y, time.January, 1))
		if got := c.Workdays(p); got != wy.totalDays || sumDays != wy.totalDays {
			t.Errorf("%d: %d working days (months add to %d), want %d", y, got, sumDays, wy.totalDays)
		}
		if got := w.WorkingHours(p.Start, p.End); got != time.Duration(wy.totalHours)*time.Hour || sumHours != wy.totalHours {
			t.Errorf("%d: %v working hours (months add to %d), want %d", y, got, sumHours, wy.totalHours)
		}
		if off := p.Days() - wy.totalDays; off != 118 {
			t.Errorf("%d: %d days off, want 118", y, off)
		}
	}
	for _, tt := range []struct {
		day  string
		work bool
	}{
		{"2024-01-09", true},  // after the New Year holidays
		{"2024-04-27", true},  // working Saturday
		{"2024-04-29", false}, // its day off
		{"2024-04-30", false}, // Saturday 2 November's day off
		{"2024-05-10", false}, // 6 January's day off
		{"2024-11-02", true},
		{"2024-12-28", true},
		{"2024-12-30", false},
		{"2024-12-31", false}, // 7 January's day off
		{"2025-11-01", true},  // working Saturday
		{"2025-11-03", false}, // its day off
		{"2025-02-24", true},  // 23 February's day off went to 8 May
		{"2025-05-08", false},
		{"2025-03-10", true}, // 8 March's day off went to 13 June
		{"2025-06-13", false},
		{"2025-12-31", false},
		{"2026-01-09", false},
		{"2026-01-12", true},
		{"2026-03-09", false},
		{"2026-05-11", false},
		{"2026-12-31", false},
	} {
		if got := c.IsWorkday(d(tt.day)); got != tt.work {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.day, got, tt.work)
		}
	}
	var short []string
	for _, s := range w.Shortened() {
		if s.Hours != 7*time.Hour {
			t.Errorf("%s: %v", s.Date, s.Hours)
		}
		short = append(short, s.Date.String())
	}
	if want := []string{
		"2024-02-22", "2024-03-07", "2024-05-08", "2024-06-11", "2024-11-02",
		"2025-03-07", "2025-04-30", "2025-06-11", "2025-11-01",
		"2026-04-30", "2026-05-08", "2026-06-11", "2026-11-03",
	}; !slices.Equal(short, want) {
		t.Errorf("shortened days %v\nwant %v", short, want)
	}
	if got := w.Years(); !slices.Equal(got, []int{2024, 2025, 2026}) || w.Fallback() != NoFallback {
		t.Errorf("Years = %v, Fallback = %v", got, w.Fallback())
	}
	if name, _ := w.Holiday(d("2025-01-07")); name != "Christmas" {
		t.Errorf("7 January: %q", name)
	}
	err := w.Check(d("2023-12-01"), d("2024-02-01"))
	if err == nil || err.Error() != "2023-12-01 is outside the working-day calendar RU (years 2024-2026): add the year to the calendar, or declare outside: weekends" {
		t.Errorf("Check before 2024: %v", err)
	}
	if err := w.Check(d("2026-12-01"), d("2027-01-02")); err == nil || !strings.HasPrefix(err.Error(), "2027-01-01 is outside") {
		t.Errorf("Check into 2027: %v", err)
	}
	if err := w.Check(d("2024-01-01"), d("2027-01-01")); err != nil {
		t.Errorf("Check 2024-2026: %v", err)
	}
}

// easter returns Easter Sunday of year by the anonymous Gregorian algorithm
// (Meeus/Jones/Butcher), to check the shipped German dates.
func easter(year int) time.Time {
	a, b, c := year%19, year/100, year%100
	dd, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - dd - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

func TestGermany(t *testing.T) {
	de, err := BuiltinWorkCalendar("de")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, year := range []int{2024, 2025, 2026, 2027} {
		e := easter(year)
		day := func(t time.Time) string { return t.Format(time.DateOnly) }
		want = append(want,
			day(time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)),
			day(e.AddDate(0, 0, -2)), // Good Friday
			day(e.AddDate(0, 0, 1)),  // Easter Monday
			day(time.Date(year, 5, 1, 0, 0, 0, 0, time.UTC)),
			day(e.AddDate(0, 0, 39)), // Ascension Day
			day(e.AddDate(0, 0, 50)), // Whit Monday
			day(time.Date(year, 10, 3, 0, 0, 0, 0, time.UTC)),
			day(time.Date(year, 12, 25, 0, 0, 0, 0, time.UTC)),
			day(time.Date(year, 12, 26, 0, 0, 0, 0, time.UTC)),
		)
	}
	var got []string
	for _, h := range de.Holidays() {
		got = append(got, h.Date.String())
	}
	if !slices.Equal(got, want) {
		t.Fatalf("DE holidays:\n got %v\nwant %v", got, want)
	}
	c := cal(t, "Europe/Berlin", WithWorkdays(de))
	for year, n := range map[string]int{"2024": 253, "2025": 252, "2026": 254, "2027": 256} {
		p, _ := c.ParseLabel(year)
		if got := c.Workdays(p); got != n {
			t.Errorf("%s: %d working days, want %d", year, got, n)
		}
	}
	if len(de.Workdays()) != 0 || len(de.Shortened()) != 0 || de.Name() != "DE" {
		t.Error("DE has no transferred working days and no shortened days")
	}
	if got := de.Years(); !slices.Equal(got, []int{2024, 2025, 2026, 2027}) {
		t.Errorf("Years = %v", got)
	}
}

func TestBuiltinUnknown(t *testing.T) {
	_, err := BuiltinWorkCalendar("FR")
	if err == nil || err.Error() != `unknown built-in work calendar "FR" (have DE, RU)` {
		t.Fatalf("err = %v", err)
	}
}

// TestBelarus checks the example calendar of docs/calendars.md, Belarus
// 2025, against the production calendar of the Belarusian journal Glavny
// Bukhgalter (gb.by, "Производственный календарь на 2025 год"): working days
// (ordinary and pre-holiday) and hours at 40 hours a week, month by month.
func TestBelarus(t *testing.T) {
	w, err := LoadWorkCalendar("testdata/by-2025.yaml")
	if err != nil {
		t.Fatal(err)
	}
	days := [12]int{20, 20, 21, 21, 20, 21, 22, 21, 22, 23, 19, 22}
	hours := [12]int{159, 160, 167, 166, 159, 168, 175, 168, 176, 184, 151, 174}
	for m := range 12 {
		from := date.New(2025, time.Month(m+1), 1)
		to := from.AddDate(0, 1, 0)
		if n, h := w.CountWorkdays(from, to), w.WorkingHours(from, to); n != days[m] || h != time.Duration(hours[m])*time.Hour {
			t.Errorf("%s: %d days, %v; want %d days, %d hours", from.Format("2006-01"), n, h, days[m], hours[m])
		}
	}
	from, to := date.New(2025, time.January, 1), date.New(2026, time.January, 1)
	if n, h := w.CountWorkdays(from, to), w.WorkingHours(from, to); n != 252 || h != 2007*time.Hour || len(w.Shortened()) != 9 || len(w.Holidays()) != 14 {
		t.Errorf("2025: %d days, %v, %d shortened, %d days off listed", n, h, len(w.Shortened()), len(w.Holidays()))
	}
	if err := w.Check(from, to); err != nil {
		t.Error(err)
	}
	if err := w.Check(to, to+1); err == nil {
		t.Error("2026 is not in the file")
	}
}

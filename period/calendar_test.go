package period

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
)

func TestNewCalendarErrors(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{"wednesday", []Option{WithWeekStart(time.Wednesday)}, "week start must be Monday or Sunday, got Wednesday"},
		{"weekday 9", []Option{WithWeekStart(9)}, "week start must be Monday or Sunday, got weekday 9"},
		{"fiscal 0", []Option{WithFiscalStart(0)}, "fiscal start must be a month 1..12, got 0"},
		{"fiscal 13", []Option{WithFiscalStart(13)}, "fiscal start must be a month 1..12, got 13"},
		{"both", []Option{WithFiscalStart(13), WithWeekStart(time.Saturday)},
			"week start must be Monday or Sunday, got Saturday\nfiscal start must be a month 1..12, got 13"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewCalendar(time.UTC, tt.opts...)
			if err == nil || err.Error() != tt.want || c != nil {
				t.Fatalf("NewCalendar = %v, %v; want error %q", c, err, tt.want)
			}
		})
	}
}

func TestNewCalendarDefaults(t *testing.T) {
	c, err := NewCalendar(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Location() != time.UTC || c.WeekStart() != time.Monday || c.FiscalStart() != time.January ||
		c.Anchor() != d("2000-01-03") || c.WorkCalendar() != nil {
		t.Fatalf("defaults: %v %v %v %v %v", c.Location(), c.WeekStart(), c.FiscalStart(), c.Anchor(), c.WorkCalendar())
	}
	w := ru(t)
	c, err = NewCalendar(time.UTC, WithWeekStart(time.Sunday), WithFiscalStart(time.October), WithAnchor(d("2025-01-01")), WithWorkdays(w))
	if err != nil {
		t.Fatal(err)
	}
	if c.WeekStart() != time.Sunday || c.FiscalStart() != time.October || c.Anchor() != d("2025-01-01") || c.WorkCalendar() != w {
		t.Fatal("options not applied")
	}
}

func TestZeroCalendar(t *testing.T) {
	var zero Calendar
	def, err := NewCalendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	if zero != *def {
		t.Fatalf("zero Calendar %+v differs from the default %+v", zero, *def)
	}
	if zero.Location() != time.UTC || zero.WeekStart() != time.Monday || zero.FiscalStart() != time.January ||
		zero.Anchor() != date.New(2000, time.January, 3) {
		t.Fatal("zero Calendar accessors")
	}
	if got := zero.Label(zero.At(Week, utc(t, "2026-01-01T12:00:00Z"))); got != "2026-W01" {
		t.Errorf("week label %q", got)
	}
}

// TestConcurrentUse runs the read-only methods from many goroutines, for the
// race detector.
func TestConcurrentUse(t *testing.T) {
	c := cal(t, "Europe/Berlin", WithWorkdays(ru(t)), WithFiscalStart(time.April))
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			day := d("2025-01-01") + date.Date(i*40)
			p := c.Containing(FiscalQuarter, day)
			_ = c.Label(c.Next(p))
			_ = c.Split(p, Week)
			_ = c.Workdays(p)
			_ = c.Elapsed(p, c.Midnight(day+5), WorkingTime)
		}()
	}
	wg.Wait()
}

func TestLoadCalendarErrors(t *testing.T) {
	_, err := LoadCalendar("Mars/Olympus_Mons")
	if err == nil || !strings.HasPrefix(err.Error(), `time zone "Mars/Olympus_Mons": `) {
		t.Fatalf("err = %v", err)
	}
	// A name with a line break or a terminal's escape is written quoted
	// alone: the time package's error repeats it as it is.
	for _, zone := range []string{"Europe/Moscow\n", "Europe/\x1b[31mBerlin", "Mars\u2028Base"} {
		_, err = LoadCalendar(zone)
		if want := "time zone " + strconv.Quote(zone) + ": unknown time zone"; err == nil || err.Error() != want {
			t.Errorf("err = %q, want %q", err, want)
		}
	}
	_, err = LoadCalendar("Local")
	if err == nil || err.Error() != `time zone "Local": the machine's local zone is not allowed, name the zone` {
		t.Fatalf("err = %v", err)
	}
	_, err = LoadCalendar("Europe/Berlin", WithFiscalStart(14))
	if err == nil || err.Error() != "fiscal start must be a month 1..12, got 14" {
		t.Fatalf("err = %v", err)
	}
	c, err := LoadCalendar("")
	if err != nil || c.Location() != time.UTC {
		t.Fatalf("empty zone: %v, %v", c, err)
	}
}

// TestDayLengths checks the instants of days around daylight-saving changes.
func TestDayLengths(t *testing.T) {
	tests := []struct {
		zone, day string
		midnight  string // RFC 3339, UTC
		hours     time.Duration
	}{
		{"Europe/Berlin", "2025-03-29", "2025-03-28T23:00:00Z", 24},
		{"Europe/Berlin", "2025-03-30", "2025-03-29T23:00:00Z", 23}, // 02:00 -> 03:00
		{"Europe/Berlin", "2025-03-31", "2025-03-30T22:00:00Z", 24},
		{"Europe/Berlin", "2025-10-26", "2025-10-25T22:00:00Z", 25}, // 03:00 -> 02:00
		{"America/New_York", "2025-03-09", "2025-03-09T05:00:00Z", 23},
		{"America/New_York", "2025-11-02", "2025-11-02T04:00:00Z", 25},
		{"America/New_York", "2024-02-29", "2024-02-29T05:00:00Z", 24},
		// Chile moves its clocks at midnight: on 8 September 2024 local time
		// jumps from 00:00 to 01:00, so the day starts at 01:00 -03.
		{"America/Santiago", "2024-09-08", "2024-09-08T04:00:00Z", 23},
		// On 6 April 2025 midnight -03 becomes 23:00 -04 on the 5th: the 5th
		// is 25 hours long and the 6th starts at 00:00 -04.
		{"America/Santiago", "2025-04-05", "2025-04-05T03:00:00Z", 25},
		{"America/Santiago", "2025-04-06", "2025-04-06T04:00:00Z", 24},
		{"Asia/Kolkata", "2025-06-01", "2025-05-31T18:30:00Z", 24},
		{"UTC", "2025-06-01", "2025-06-01T00:00:00Z", 24},
		// Samoa crossed the date line: 30 December 2011 never happened there.
		{"Pacific/Apia", "2011-12-29", "2011-12-29T10:00:00Z", 24},
		{"Pacific/Apia", "2011-12-30", "2011-12-30T10:00:00Z", 0},
		{"Pacific/Apia", "2011-12-31", "2011-12-30T10:00:00Z", 24},
	}
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.day, func(t *testing.T) {
			c := cal(t, tt.zone)
			start, end := c.Bounds(c.Containing(Day, d(tt.day)))
			if want := utc(t, tt.midnight); !start.Equal(want) {
				t.Errorf("midnight = %s, want %s", start.UTC().Format(time.RFC3339), tt.midnight)
			}
			if got := end.Sub(start); got != tt.hours*time.Hour {
				t.Errorf("day length = %s, want %dh", got, tt.hours)
			}
			if tt.hours == 0 {
				return // a skipped date has no instants
			}
			if c.Date(start) != d(tt.day) || c.Date(start.Add(-time.Second)) >= d(tt.day) {
				t.Errorf("Date around midnight: %s, %s", c.Date(start), c.Date(start.Add(-time.Second)))
			}
		})
	}
}

func TestDateAndAt(t *testing.T) {
	berlin, ny := cal(t, "Europe/Berlin"), cal(t, "America/New_York")
	tests := []struct {
		c       *Calendar
		instant string
		g       Grain
		want    Period
	}{
		{berlin, "2025-03-30T23:30:00Z", Day, per(Day, "2025-03-31", "2025-04-01")},
		{berlin, "2025-03-31T21:59:59Z", Month, per(Month, "2025-03-01", "2025-04-01")},
		{berlin, "2025-03-31T22:00:00Z", Month, per(Month, "2025-04-01", "2025-05-01")},
		{ny, "2025-04-01T03:59:59Z", Month, per(Month, "2025-03-01", "2025-04-01")},
		{ny, "2025-04-01T04:00:00Z", Quarter, per(Quarter, "2025-04-01", "2025-07-01")},
		{ny, "2026-01-01T04:59:59Z", Year, per(Year, "2025-01-01", "2026-01-01")},
		{ny, "2026-01-01T05:00:00Z", Week, per(Week, "2025-12-29", "2026-01-05")},
	}
	for _, tt := range tests {
		t.Run(tt.c.Location().String()+" "+tt.instant, func(t *testing.T) {
			if got := tt.c.At(tt.g, utc(t, tt.instant)); got != tt.want {
				t.Fatalf("At = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestInvalidGrain(t *testing.T) {
	c := cal(t, "UTC")
	if p := c.Containing(Grain{}, d("2025-01-01")); !p.IsZero() {
		t.Errorf("Containing(zero) = %v", p)
	}
	if p := c.Next(Period{}); !p.IsZero() {
		t.Errorf("Next(zero) = %v", p)
	}
	if s := c.Split(per(Month, "2025-01-01", "2025-02-01"), Days(0)); s != nil {
		t.Errorf("Split(zero) = %v", s)
	}
	if l := c.Label(Period{}); l != "" {
		t.Errorf("Label(zero) = %q", l)
	}
	_, err := c.Periods(Grain{}, d("2025-01-01"), d("2025-02-01"))
	if err == nil || err.Error() != `periods: invalid grain ""` {
		t.Errorf("Periods(zero) err = %v", err)
	}
	_, err = c.Periods(Month, d("2025-02-01"), d("2025-02-01"))
	if err == nil || !errors.Is(err, ErrEmptyRange) || err.Error() != "periods of month from 2025-02-01 to 2025-02-01: empty range" {
		t.Errorf("Periods(empty) err = %v", err)
	}
}

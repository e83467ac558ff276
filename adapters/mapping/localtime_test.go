package mapping

import (
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zone files

	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

func mustZone(t interface {
	Helper()
	Fatal(...any)
}, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestWallInstant(t *testing.T) {
	for _, tc := range []struct {
		zone      string
		day       string
		tod, want string // HH:MM; the instant in RFC 3339
	}{
		{"UTC", "2025-01-01", "00:00", "2025-01-01T00:00:00Z"},
		{"Europe/Berlin", "2025-03-30", "00:00", "2025-03-30T00:00:00+01:00"},
		{"Europe/Berlin", "2025-03-30", "02:30", "2025-03-30T03:30:00+02:00"}, // skipped: forward by the jump
		{"Europe/Berlin", "2025-03-30", "03:00", "2025-03-30T03:00:00+02:00"},
		{"Europe/Berlin", "2025-10-26", "02:30", "2025-10-26T02:30:00+02:00"}, // twice: the first
		{"Europe/Berlin", "2025-10-26", "03:00", "2025-10-26T03:00:00+01:00"},
		{"America/New_York", "2025-03-09", "02:30", "2025-03-09T03:30:00-04:00"},
		{"America/New_York", "2025-11-02", "01:30", "2025-11-02T01:30:00-04:00"}, // twice: the first (EDT)
		{"America/New_York", "2025-11-02", "00:00", "2025-11-02T00:00:00-04:00"},
		{"America/Santiago", "2022-09-11", "00:00", "2022-09-11T01:00:00-03:00"}, // midnight skipped
		{"America/Santiago", "2022-04-02", "23:30", "2022-04-02T23:30:00-03:00"}, // twice: the first
		{"Pacific/Apia", "2011-12-30", "00:00", "2011-12-31T00:00:00+14:00"},     // a day skipped whole
		{"Pacific/Apia", "2011-12-30", "12:00", "2011-12-31T12:00:00+14:00"},
		{"Australia/Lord_Howe", "2025-10-05", "02:15", "2025-10-05T02:45:00+11:00"}, // a 30-minute jump
		{"Asia/Kolkata", "2025-06-01", "18:00", "2025-06-01T18:00:00+05:30"},
	} {
		t.Run(tc.zone+" "+tc.day+" "+tc.tod, func(t *testing.T) {
			loc := mustZone(t, tc.zone)
			y, m, d, ok := parseDate(tc.day)
			if !ok {
				t.Fatal(tc.day)
			}
			h, _ := digits(tc.tod[:2])
			mi, _ := digits(tc.tod[3:])
			got := wallInstant(y, time.Month(m), d, h*3600+mi*60, 0, loc)
			if s := got.Format(time.RFC3339); s != tc.want {
				t.Errorf("got %s, want %s", s, tc.want)
			}
			if got.Location() != loc {
				t.Errorf("location %v", got.Location())
			}
		})
	}
}

var propZones = []string{"UTC", "Europe/Berlin", "America/New_York", "America/Santiago", "Pacific/Apia",
	"Australia/Lord_Howe", "Asia/Tehran", "America/Havana", "Europe/Moscow", "Africa/Casablanca"}

// A date at 00:00 is the first instant of the day, as the plan's calendar
// says: period.Calendar.Midnight.
func TestPropWallInstantMidnight(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc := mustZone(t, rapid.SampledFrom(propZones).Draw(t, "zone"))
		cal, err := period.NewCalendar(loc)
		if err != nil {
			t.Fatal(err)
		}
		d := date.Date(rapid.Int64Range(int64(date.New(1970, 1, 1)), int64(date.New(2037, 12, 31))).Draw(t, "day"))
		y, m, dd := d.Date()
		if got, want := wallInstant(y, m, dd, 0, 0, loc), cal.Midnight(d); !got.Equal(want) {
			t.Fatalf("%s in %s: %s, want %s", d, loc, got, want)
		}
	})
}

// At any time of day the instant reads as that wall time and is its first
// occurrence, or, where a jump skips the wall time, it is that wall time
// moved forward by the jump.
func TestPropWallInstant(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc := mustZone(t, rapid.SampledFrom(propZones).Draw(t, "zone"))
		d := date.Date(rapid.Int64Range(int64(date.New(1970, 1, 1)), int64(date.New(2037, 12, 31))).Draw(t, "day"))
		sec := rapid.IntRange(0, 86399).Draw(t, "sec")
		y, m, dd := d.Date()
		got := wallInstant(y, m, dd, sec, 0, loc)
		want := time.Date(y, m, dd, 0, 0, sec, 0, time.UTC)
		naive := func(t time.Time) time.Time {
			l := t.In(loc)
			return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC)
		}
		if naive(got).Equal(want) {
			for _, o := range []int64{offsetAt(got.Unix()-86400, loc), offsetAt(got.Unix()+86400, loc)} {
				if u := time.Unix(want.Unix()-o, 0); u.Before(got) && naive(u).Equal(want) {
					t.Fatalf("%s is not the first %s in %s: %s is", got, want, loc, u)
				}
			}
			return
		}
		// A gap: no instant reads as the wall time, and the one given is
		// the wall time read with the offset before the jump.
		ob, oa := offsetAt(got.Unix()-86400, loc), offsetAt(got.Unix(), loc)
		for _, o := range []int64{ob, oa} {
			if naive(time.Unix(want.Unix()-o, 0)).Equal(want) {
				t.Fatalf("%s in %s: %s reads as the wall time, not %s", want, loc, time.Unix(want.Unix()-o, 0).In(loc), got)
			}
		}
		if oa <= ob || got.Unix() != want.Unix()-ob {
			t.Fatalf("%s for the wall time %s in %s is not that time moved forward by the jump", got, want, loc)
		}
	})
}

package period

import (
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zone files

	"github.com/rickb777/date/v2"
)

// d parses a date written YYYY-MM-DD.
func d(s string) date.Date {
	v, _, ok := parseYMD(s)
	if !ok {
		panic("bad test date " + s)
	}
	return v
}

// per builds a period from two dates written YYYY-MM-DD.
func per(g Grain, start, end string) Period {
	return Period{Grain: g, Start: d(start), End: d(end)}
}

// tiles builds the periods of grain g between consecutive dates of bounds,
// written YYYY-MM-DD: tiles(Day, "2025-01-01", "2025-01-02", "2025-01-03") is
// two days, each starting where the one before ends.
func tiles(g Grain, bounds ...string) []Period {
	var ps []Period
	for i := 1; i < len(bounds); i++ {
		ps = append(ps, per(g, bounds[i-1], bounds[i]))
	}
	return ps
}

// cal makes a calendar in the named zone or fails the test.
func cal(t testing.TB, zone string, opts ...Option) *Calendar {
	t.Helper()
	c, err := LoadCalendar(zone, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// calendars returns the UTC calendars the table tests choose from: weeks
// from Monday (mon) or Sunday (sun), fiscal years from April (apr) or
// October (oct).
func calendars(t testing.TB) (mon, sun, apr, oct *Calendar) {
	t.Helper()
	return cal(t, "UTC"), cal(t, "UTC", WithWeekStart(time.Sunday)),
		cal(t, "UTC", WithFiscalStart(time.April)), cal(t, "UTC", WithFiscalStart(time.October))
}

// at parses a local wall-clock time "2006-01-02 15:04:05" in c's zone.
func at(t testing.TB, c *Calendar, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation(time.DateTime, s, c.Location())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// utc parses an RFC 3339 instant.
func utc(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func ru(t testing.TB) *WorkCalendar {
	t.Helper()
	w, err := BuiltinWorkCalendar("RU")
	if err != nil {
		t.Fatal(err)
	}
	return w
}

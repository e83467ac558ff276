package enginetest

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/period"
)

// Calendar loads the calendar of zone with opts, failing the test on an
// error.
func Calendar(t testing.TB, zone string, opts ...period.Option) *period.Calendar {
	t.Helper()
	cal, err := period.LoadCalendar(zone, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// At is the local instant s ("2025-03-10 12:00") in the calendar's zone;
// it panics when s is not one.
func At(cal *period.Calendar, s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, cal.Location())
	if err != nil {
		panic(err)
	}
	return t
}

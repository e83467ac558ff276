package enginetest

import (
	"fmt"
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
// it panics when s is not one, a wall-clock time the zone's clocks skip
// included (time.ParseInLocation would move it by the change of offset).
// Of a time the clocks pass twice it is the one time.Date gives.
func At(cal *period.Calendar, s string) time.Time {
	const layout = "2006-01-02 15:04"
	t, err := time.ParseInLocation(layout, s, cal.Location())
	if err != nil {
		panic(err)
	}
	if t.Format(layout) != s {
		panic(fmt.Sprintf("%q is no instant in %s (the clocks skip it)", s, cal.Location()))
	}
	return t
}

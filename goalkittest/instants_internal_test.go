package goalkittest

import (
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// TestBoundariesHoldEveryTransition: the instants Instants draws near are
// the exact instants of every offset change of the zone in the years of
// the periods, found here minute by minute. Lord Howe's clocks go forward
// half an hour at 02:00 of +10:30, a transition on no whole hour of UTC.
func TestBoundariesHoldEveryTransition(t *testing.T) {
	for _, zone := range Zones {
		cal, err := period.LoadCalendar(zone)
		if err != nil {
			t.Fatal(err)
		}
		months, err := cal.Periods(period.Month, date.New(2025, 1, 1), date.New(2026, 1, 1))
		if err != nil {
			t.Fatal(err)
		}
		bounds := boundaries(cal, months)
		// the years the periods touch: 2025 and, at the end of the last,
		// 2026 (local dates)
		loc := cal.Location()
		var want []time.Time
		for y := 2025; y <= 2026; y++ {
			from, to := time.Date(y, 1, 1, 0, 0, 0, 0, loc), time.Date(y+1, 1, 1, 0, 0, 0, 0, loc)
			_, prev := from.Zone()
			for m := from.Add(time.Minute); m.Before(to); m = m.Add(time.Minute) {
				if _, off := m.Zone(); off != prev {
					want = append(want, m)
					prev = off
				}
			}
		}
		if zone != "UTC" && zone != "Europe/Moscow" && len(want) != 4 {
			t.Fatalf("%s: %d transitions in 2025 and 2026, want 4: %v", zone, len(want), want)
		}
		for _, tr := range want {
			if !slices.ContainsFunc(bounds, tr.Equal) {
				t.Errorf("%s: the transition at %s (%s) is not among the boundaries", zone, tr.UTC(), tr)
			}
		}
		for _, b := range bounds {
			if b.Location() != loc {
				t.Errorf("%s: boundary %s in %s", zone, b, b.Location())
			}
		}
	}
}

// A period of more than two years touches the years between its first and
// its last too: Berlin's clocks changed on 30 March and 26 October 2025
// (01:00 UTC, the EU's rule), inside a period from 2024 to 2026. Only the
// years of the periods' first and last days were scanned.
func TestBoundariesOfAPeriodOverYears(t *testing.T) {
	cal, err := period.LoadCalendar("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	p := period.Period{Grain: period.Days(800), Start: date.New(2024, 1, 1), End: date.New(2024, 1, 1) + 800}
	bounds := boundaries(cal, []period.Period{p})
	for _, tr := range []time.Time{time.Date(2025, 3, 30, 1, 0, 0, 0, time.UTC), time.Date(2025, 10, 26, 1, 0, 0, 0, time.UTC)} {
		if !slices.ContainsFunc(bounds, tr.Equal) {
			t.Errorf("the transition at %s is not among the boundaries %v", tr, bounds)
		}
	}
}

package goalkit_test

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
)

// A tick given in a zone whose offset has seconds (time.FixedZone takes
// any, and the tz database gives them to local mean times) is kept as the
// instant it is. RFC 3339 has no seconds in an offset: the tick was kept as
// its wall clock with the offset cut to the minute, 59 s later here, just
// past the end of March. The ticks after it, before that kept instant,
// counted as ticks back in time and ticked at it, and a tick then starts
// from it: the March goal's failure, at midnight, was never told.
func TestTrackerTickInASecondsOffsetKeepsItsInstant(t *testing.T) {
	plan := callsPlan(t, "2025-03-01", "2025-05-01", `    participants: {users: [anna]}
    notify: [{on: failed}]
`)
	tr := startTracker(t, plan)
	april := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	first := april.Add(-30 * time.Second).In(time.FixedZone("LMT", 59))
	var failed []time.Time
	for _, at := range []time.Time{first, april.Add(-20 * time.Second), april.Add(time.Second), april.Add(24 * time.Hour)} {
		for _, n := range mustTick(t, tr, at) {
			if n.Kind == goal.NotifyFailed {
				failed = append(failed, at)
			}
		}
	}
	if len(failed) != 1 || !failed[0].Equal(april.Add(time.Second)) {
		t.Errorf("the March goal's failure was told by the ticks at %v, want the tick at %s alone", failed, april.Add(time.Second))
	}
}

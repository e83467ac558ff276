package enginetest

import (
	"testing"
	"time"
)

// At panics on what is not a local instant of the calendar, among them a
// wall-clock time that the zone's clocks skip, which time.ParseInLocation
// moves by the offset's change rather than refusing.
func TestAtRefusesWhatIsNoInstant(t *testing.T) {
	cal := Calendar(t, "Europe/Berlin")
	for _, s := range []string{"2025-03-30 02:30", "2025-03-30 02:00", "2025-02-30 12:00", "2025-03-10 24:00", "2025-03-10T12:00", "2025-03-10 12:00:00"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("At(%q) did not panic", s)
				}
			}()
			At(cal, s)
		}()
	}
	// the minute before the gap and the first after it
	for s, want := range map[string]time.Time{
		"2025-03-30 01:59": time.Date(2025, 3, 30, 0, 59, 0, 0, time.UTC),
		"2025-03-30 03:00": time.Date(2025, 3, 30, 1, 0, 0, 0, time.UTC),
	} {
		if got := At(cal, s); !got.Equal(want) {
			t.Errorf("At(%q) = %s, want %s", s, got.UTC(), want)
		}
	}
}

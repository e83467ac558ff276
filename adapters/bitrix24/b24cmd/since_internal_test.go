package b24cmd

import (
	"testing"
	"time"
)

// A --since date names the first instant of that day in the location, also
// where a summer-time jump skips midnight: in Havana on 9 March 2025 the
// clocks go from 00:00 to 01:00, so the day starts at 01:00 (05:00 UTC), not
// at 23:00 the day before.
func TestParseSinceMidnightInGap(t *testing.T) {
	havana, err := time.LoadLocation("America/Havana")
	if err != nil {
		t.Skip(err)
	}
	for _, tc := range []struct {
		in   string
		loc  *time.Location
		want time.Time
	}{
		{"2025-03-09", havana, time.Date(2025, 3, 9, 5, 0, 0, 0, time.UTC)},
		{"2025-03-10", havana, time.Date(2025, 3, 10, 4, 0, 0, 0, time.UTC)},
		{"2025-03-09", time.UTC, time.Date(2025, 3, 9, 0, 0, 0, 0, time.UTC)},
	} {
		got, err := parseSince(tc.in, tc.loc)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if !got.Equal(tc.want) {
			t.Errorf("parseSince(%s, %s) = %s, want %s", tc.in, tc.loc, got.UTC(), tc.want)
		}
		if got.Location() != tc.loc {
			t.Errorf("parseSince(%s, %s) is in %s", tc.in, tc.loc, got.Location())
		}
	}
}

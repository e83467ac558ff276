package colstore

import (
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// The zone cache's local date of an instant (day, and dayOf where it
// answers) is the date of the instant in its location as time.Time gives
// it, on both sides of 1970 and of the zones' changes, east and west of
// UTC.
func TestZoneCacheDay(t *testing.T) {
	var locs []*time.Location
	for _, name := range []string{"UTC", "Europe/Moscow", "America/New_York", "Pacific/Chatham", "Asia/Kolkata"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Skipf("zone %s: %v", name, err)
		}
		locs = append(locs, loc)
	}
	rapid.Check(t, func(t *rapid.T) {
		loc := locs[rapid.IntRange(0, len(locs)-1).Draw(t, "loc")]
		z := zoneCache{loc: loc}
		for i := range rapid.IntRange(1, 40).Draw(t, "n") {
			// Within a few days of 1970 or anywhere in 1678-2261.
			var sec int64
			if rapid.Bool().Draw(t, "near1970") {
				sec = rapid.Int64Range(-5*86400, 5*86400).Draw(t, "sec")
			} else {
				sec = rapid.Int64Range(-9_000_000_000, 9_000_000_000).Draw(t, "sec")
			}
			at := time.Unix(sec, 0)
			lt := at.In(loc)
			want := date.New(lt.Year(), lt.Month(), lt.Day())
			if got, ok := z.dayOf(sec); ok && got != want {
				t.Fatalf("%d: dayOf(%v) in %s = %v, want %v", i, at.UTC(), loc, got, want)
			}
			if got := z.day(at); got != want {
				t.Fatalf("%d: day(%v) in %s = %v, want %v", i, at.UTC(), loc, got, want)
			}
		}
	})
}

package colstore

import (
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestInYears: the instant comparison of a time in UTC agrees with its
// year, around both ends of the range and anywhere between, and a time in
// another zone is judged by its own year (1677-12-31 in a zone west of UTC
// is out even when it is 1678 in UTC).
func TestInYears(t *testing.T) {
	west := time.FixedZone("W", -5*3600)
	for _, c := range []struct {
		t    time.Time
		want bool
	}{
		{time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(1677, 12, 31, 23, 59, 59, 999999999, time.UTC), false},
		{time.Date(2261, 12, 31, 23, 59, 59, 999999999, time.UTC), true},
		{time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{time.Date(1677, 12, 31, 22, 0, 0, 0, west), false}, // 1678 in UTC
		{time.Date(2261, 12, 31, 22, 0, 0, 0, west), true},  // 2262 in UTC
		{time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC).In(time.FixedZone("E", 3600)), true},
	} {
		if got := InYears(c.t); got != c.want {
			t.Errorf("InYears(%s) = %v, want %v", c.t, got, c.want)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		sec := rapid.Int64Range(-9_300_000_000, 9_300_000_000).Draw(t, "sec") // 1675–2264
		tm := time.Unix(sec, rapid.Int64Range(0, 999_999_999).Draw(t, "ns"))
		if rapid.Bool().Draw(t, "utc") {
			tm = tm.UTC()
		} else {
			tm = tm.In(time.FixedZone("Z", rapid.IntRange(-26*3600, 26*3600).Draw(t, "offset")))
		}
		y := tm.Year()
		if got, want := InYears(tm), y >= 1678 && y <= 2261; got != want {
			t.Fatalf("InYears(%s) = %v, its year is %d", tm, got, y)
		}
	})
}

// The years' ends as unix seconds are those time.Date gives, and an
// instant two days inside them is in the years in the zones farthest from
// UTC.
func TestInYearsBounds(t *testing.T) {
	if u := time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC).Unix(); u != firstUnix {
		t.Errorf("firstUnix = %d, want %d", int64(firstUnix), u)
	}
	if u := time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC).Unix(); u != endUnix {
		t.Errorf("endUnix = %d, want %d", int64(endUnix), u)
	}
	for _, c := range []struct {
		sec  int64
		want bool
	}{{firstUnix + inside, true}, {firstUnix + inside - 1, false}, {endUnix - inside - 1, true}, {endUnix - inside, false}, {0, true}, {-1 << 63, false}, {1<<63 - 1, false}} {
		if got := InsideYears(c.sec); got != c.want {
			t.Errorf("InsideYears(%d) = %v, want %v", c.sec, got, c.want)
		}
	}
	for _, off := range []int{-26 * 3600, -12 * 3600, 0, 14 * 3600, 26 * 3600} {
		z := time.FixedZone("Z", off)
		for _, u := range []int64{firstUnix + inside, endUnix - inside - 1} {
			if y := time.Unix(u, 0).In(z).Year(); y < 1678 || y > 2261 {
				t.Errorf("%d at offset %d is in %d", u, off, y)
			}
		}
	}
}

// TestTimeOutsideWritesTheInstant: the error of a time outside the years
// writes an instant that reads back as the event's, in its own zone: an
// offset with seconds (a local mean time) keeps them, where RFC 3339 cut
// +00:19:32 to +00:19, 32 seconds away.
func TestTimeOutsideWritesTheInstant(t *testing.T) {
	amsterdam := time.FixedZone("LMT", 19*60+32)
	newYork := time.FixedZone("LMT", -(4*3600 + 56*60 + 2))
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(1677, 12, 31, 0, 0, 0, 0, amsterdam), `event "a": time 1677-12-31T00:00:00+00:19:32 is outside the years 1678–2261`},
		{time.Date(1677, 12, 31, 23, 0, 0, 0, newYork), `event "a": time 1677-12-31T23:00:00-04:56:02 is outside the years 1678–2261`},
		{time.Date(2262, 1, 1, 0, 0, 0, 0, time.FixedZone("W", -5*3600)), `event "a": time 2262-01-01T00:00:00-05:00 is outside the years 1678–2261`},
		{time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), `event "a": time 3000-01-01T00:00:00Z is outside the years 1678–2261`},
	} {
		if got := TimeOutside("a", "time", c.t).Error(); got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
		// The instant written is the event's.
		text := strings.Fields(c.want)[3]
		back, err := time.Parse("2006-01-02T15:04:05Z07:00:00", text)
		if err != nil {
			back, err = time.Parse(time.RFC3339, text)
		}
		if err != nil || !back.Equal(c.t) {
			t.Errorf("%s reads back as %v (%v), want %v", text, back, err, c.t)
		}
	}
}

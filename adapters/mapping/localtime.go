package mapping

import (
	"math"
	"time"
)

// wallInstant returns the instant at which a clock in loc reads the date
// y-m-d at sec seconds and nsec nanoseconds after midnight.
//
// A wall time that a daylight-saving jump skips is moved forward by the
// length of the jump (02:30 on the day Europe/Berlin springs forward is
// 03:30 CEST), as if read with the offset in force before the jump; a
// wall time that occurs twice (the hour repeated when clocks fall back) is
// its first occurrence. So 00:00 is the first instant of the day, which is
// period.Calendar.Midnight, even where a jump skips midnight; a date a zone
// skipped whole (Samoa, 30 December 2011) gives the first instant of the
// next day.
//
// time.Date leaves both choices unspecified, and in practice makes them
// differently in different zones, so wallInstant decides them itself.
func wallInstant(y int, m time.Month, d, sec, nsec int, loc *time.Location) time.Time {
	wall := time.Date(y, m, d, 0, 0, sec, 0, time.UTC).Unix()
	// The offsets in force within a day either side cover every offset
	// the wall time can be read with (offsets are within ±26 hours).
	var offs [3]int64
	for i, at := range [3]int64{wall - 86400, wall, wall + 86400} {
		offs[i] = offsetAt(at, loc)
	}
	best := int64(math.MaxInt64)
	for _, o := range offs {
		if u := wall - o; u < best && offsetAt(u, loc) == o {
			best = u
		}
	}
	if best == math.MaxInt64 {
		// A gap: read the wall time with the offset before the jump, the
		// one in force at the instant the wall time would be under the
		// offset after it (the larger one).
		hi := max(offs[0], offs[1], offs[2])
		best = wall - offsetAt(wall-hi, loc)
	}
	return time.Unix(best, int64(nsec)).In(loc)
}

// offsetAt is loc's offset east of UTC, in seconds, at the Unix time u.
func offsetAt(u int64, loc *time.Location) int64 {
	_, off := time.Unix(u, 0).In(loc).Zone()
	return int64(off)
}

package colstore

import (
	"time"

	"github.com/rickb777/date/v2"
)

// zoneCache maps instants to local dates, remembering the zone intervals it
// has seen so that most events cost one comparison instead of a time.In.
type zoneCache struct {
	loc   *time.Location
	spans [8]zoneSpan
	n     int
	next  int
}

type zoneSpan struct {
	start, end int64 // unix seconds, [start, end)
	offset     int64 // seconds east of UTC
}

const unixEpochDay = 719162 // date.New(1970, 1, 1)

// dayOf is day of the instant sec (unix seconds) when it is after 1970
// in the zone interval seen first (for most zones, all that a year of
// events needs), false otherwise: small enough to be inlined.
func (z *zoneCache) dayOf(sec int64) (date.Date, bool) {
	if sp := &z.spans[0]; sec >= sp.start && sec < sp.end && sec+sp.offset >= 0 {
		return date.Date(int64(uint64(sec+sp.offset)/86400) + unixEpochDay), true
	}
	return 0, false
}

func (z *zoneCache) day(t time.Time) date.Date {
	sec := t.Unix()
	for i := 0; i < z.n; i++ {
		if sp := &z.spans[i]; sec >= sp.start && sec < sp.end {
			if l := sec + sp.offset; l >= 0 {
				return date.Date(int64(uint64(l)/86400) + unixEpochDay) // since 1970: no rounding down to mend
			}
			return date.Date(floorDiv(sec+sp.offset, 86400) + unixEpochDay)
		}
	}
	lt := t.In(z.loc)
	_, off := lt.Zone()
	start, end := lt.ZoneBounds()
	sp := zoneSpan{start: start.Unix(), end: end.Unix(), offset: int64(off)}
	if start.IsZero() {
		sp.start = -1 << 62
	}
	if end.IsZero() {
		sp.end = 1 << 62
	}
	z.spans[z.next] = sp
	z.next = (z.next + 1) % len(z.spans)
	z.n = min(z.n+1, len(z.spans))
	return date.Date(floorDiv(sec+int64(off), 86400) + unixEpochDay)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

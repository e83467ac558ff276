// Package unixnano holds the one rule by which an instant is written in
// nanoseconds since the Unix epoch as an int64, for the engine's tables
// (kpi) and delivery's outbox: time.UnixNano wraps round outside the
// years an int64 holds, so an instant there is held at the nearer end.
package unixnano

import (
	"math"
	"time"
)

// The instants whose nanoseconds since the Unix epoch an int64 holds:
// 1677-09-21 to 2262-04-11.
var (
	Min = time.Unix(0, math.MinInt64)
	Max = time.Unix(0, math.MaxInt64)
)

// Of returns t in nanoseconds since the Unix epoch, held at the limits of
// int64 for an instant outside [Min, Max], where UnixNano wraps round: an
// instant of 9999 ("everything") is after every instant kept, and the zero
// time before them all.
func Of(t time.Time) int64 {
	switch {
	case t.Before(Min):
		return math.MinInt64
	case t.After(Max):
		return math.MaxInt64
	}
	return t.UnixNano()
}

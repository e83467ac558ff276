package kpi

import (
	"math"
	"time"
)

// The instants whose nanoseconds since the Unix epoch an int64 holds: the
// years 1678–2262 (the table keeps events and their Known within them).
var (
	minNanos = time.Unix(0, math.MinInt64)
	maxNanos = time.Unix(0, math.MaxInt64)
)

// nanos returns t in nanoseconds since the Unix epoch, held at the limits
// of int64 for an instant outside the years it holds, where UnixNano wraps
// around: an as-of instant of 9999 ("everything") is after every event,
// not before them all.
func nanos(t time.Time) int64 {
	switch {
	case t.Before(minNanos):
		return math.MinInt64
	case t.After(maxNanos):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// knownNanos returns a request's KnownAt as evaluation.knownNs holds it:
// 0 for none, and otherwise nanos, with the Unix epoch itself as -1 (a
// version known at the epoch is kept as known always: see
// colstore.Segment.Known).
func knownNanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	if n := nanos(t); n != 0 {
		return n
	}
	return -1
}

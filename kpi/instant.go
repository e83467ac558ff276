package kpi

import (
	"time"

	"github.com/goalkit/goalkit/internal/unixnano"
)

// nanos returns t in nanoseconds since the Unix epoch, held at the limits
// of int64 for an instant outside the years it holds (1678–2262, the years
// a table keeps events and their Known in), where UnixNano wraps around:
// an as-of instant of 9999 ("everything") is after every event, not before
// them all. The rule is unixnano.Of, which delivery's outbox reads too.
func nanos(t time.Time) int64 { return unixnano.Of(t) }

// knownLimit is a request's KnownAt as the scans test a version's Known
// against it; the zero limit (no KnownAt) hides nothing.
type knownLimit struct {
	ns  int64 // nanos of KnownAt
	set bool
}

// knownLimitOf returns the limit of a request's KnownAt (zero: none).
func knownLimitOf(t time.Time) knownLimit {
	if t.IsZero() {
		return knownLimit{}
	}
	return knownLimit{ns: nanos(t), set: true}
}

// hides reports whether a version known at k (zero: known always) is not
// known yet at the limit. A version known at the Unix epoch is known from
// then on (colstore.Segment.Known tells it from one known always).
func (l knownLimit) hides(k time.Time) bool {
	return l.set && !k.IsZero() && k.UnixNano() > l.ns
}

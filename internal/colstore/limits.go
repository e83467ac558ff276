package colstore

import (
	"fmt"
	"time"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Limits of a table's attributes. They keep memory linear in the events
// applied: an event's attributes are encoded one by one, and every distinct
// name costs a column in each segment that meets it and a dictionary.
const (
	// MaxEventAttrs is the most attributes one event may carry.
	MaxEventAttrs = 64
	// MaxAttrNames is the most distinct attribute names a table holds.
	MaxAttrNames = 1024
	// MaxKinds is the most event kinds a table holds: a row's reference
	// codes its kind's segment in segBits bits, two codes reserved.
	MaxKinds = 1<<segBits - 2
	// MaxExponent bounds the decimal exponent of an amount or attribute
	// value, either way, as the event files' parsers do: a table codes a
	// decimal by its digits, and 10^400000000 is not computed in any
	// time a host would wait for.
	MaxExponent = 1000
)

// ExponentOutside returns the error of an event whose amount or decimal
// attribute (what) has an exponent past MaxExponent, or nil.
func ExponentOutside(id, what string, d decimal.Decimal) error {
	if x := d.Exponent(); x < -MaxExponent || x > MaxExponent {
		return fmt.Errorf("event %s: %s exponent %d is outside ±%d", display.QuoteID(id), what, x, MaxExponent)
	}
	return nil
}

// tooManyAttrs is the error of an event with more than MaxEventAttrs
// attributes.
func tooManyAttrs(id string, n int) error {
	return fmt.Errorf("event %s has %d attributes (at most %d)", display.QuoteID(id), n, MaxEventAttrs)
}

// TooManyAttrs returns the error of an event with n attributes, or nil when
// n is within MaxEventAttrs.
func TooManyAttrs(id string, n int) error {
	if n <= MaxEventAttrs {
		return nil
	}
	return tooManyAttrs(id, n)
}

// tooManyNames is the error of an attribute name past MaxAttrNames.
func tooManyNames(id, name string) error {
	return fmt.Errorf("event %s: attribute %s: too many distinct attribute names (at most %d)", display.QuoteID(id), display.QuoteID(name), MaxAttrNames)
}

// AttrNames is the number of distinct attribute names the table holds.
func (t *Table) AttrNames() int { return t.attrIdx.Len() - 1 }

// CheckNames reports whether the attribute names of attrs, with those new to
// the table already in added (which it extends), fit MaxAttrNames: for
// callers that validate a batch before applying any of it.
func (t *Table) CheckNames(id string, attrs map[string]any, added map[string]struct{}) error {
	for name := range attrs {
		if _, ok := t.attrIdx.lookup(name); ok {
			continue
		}
		if _, ok := added[name]; ok {
			continue
		}
		if t.AttrNames()+len(added) >= MaxAttrNames {
			return tooManyNames(id, name)
		}
		added[name] = struct{}{}
	}
	return nil
}

// Kinds is the number of event kinds the table holds.
func (t *Table) Kinds() int { return t.kinds.Len() - 1 }

// CheckKind reports whether the table can take an event of kind, with the
// kinds new to it already in added (which it extends), without passing
// MaxKinds: for callers that validate a batch before applying any of it.
func (t *Table) CheckKind(id, kind string, added map[string]struct{}) error {
	if t.hasKind(kind) {
		return nil
	}
	if _, ok := added[kind]; ok {
		return nil
	}
	if t.Kinds()+len(added) >= MaxKinds {
		return tooManyKinds(id)
	}
	added[kind] = struct{}{}
	return nil
}

// tooManyKinds is the error of an event of a kind past MaxKinds.
func tooManyKinds(id string) error {
	return fmt.Errorf("event %s: too many event kinds (at most %d)", display.QuoteID(id), MaxKinds)
}

// The instants of UTC's years 1678–2261, in unix seconds: [first, end)
// (TestInYearsBounds checks them against time.Date).
const (
	firstUnix = -9214560000 // 1678-01-01T00:00:00Z
	endUnix   = 9214646400  // 2262-01-01T00:00:00Z
	// inside is how far from those ends an instant is in the years in
	// every zone: two days, more than any zone is from UTC.
	inside = 2 * 86400
)

// FirstDay and EndDay bound the local dates of a table's rows, in any
// zone: every instant InYears accepts falls on a date of [FirstDay,
// EndDay), with days to spare for the zone of the table and that of the
// event. An evaluation maps no date outside them to a period.
var (
	FirstDay = int32(date.New(1677, time.December, 28))
	EndDay   = int32(date.New(2262, time.January, 5))
)

// InYears reports whether t's year, in its own zone, is one of 1678–2261:
// the years whose instants a table keeps, as int64 nanoseconds (a time
// past them would be kept as another instant). An instant more than two
// days inside them is compared as an instant, much cheaper than its Year:
// small enough to be inlined.
func InYears(t time.Time) bool {
	if InsideYears(t.Unix()) {
		return true
	}
	return inYearsNear(t)
}

// InsideYears reports whether the instant sec (unix seconds) is more than
// two days inside the years InYears accepts, so in them in every zone: a
// caller that tests it first calls InYears only near their ends.
func InsideYears(sec int64) bool {
	return uint64(sec-(firstUnix+inside)) < endUnix-firstUnix-2*inside
}

// inYearsNear is InYears of an instant near the years' ends.
func inYearsNear(t time.Time) bool {
	if t.Location() == time.UTC {
		u := t.Unix()
		return u >= firstUnix && u < endUnix
	}
	y := t.Year()
	return y >= 1678 && y <= 2261
}

// TimeOutside is the error of an event whose time (what: "time" or
// "known") is outside InYears. The instant is written in its own zone (the
// years are its zone's), with the seconds of an offset that has them (a
// local mean time such as +00:19:32): RFC 3339 cuts them, and the instant
// written would be another one.
func TimeOutside(id, what string, t time.Time) error {
	layout := time.RFC3339
	if _, off := t.Zone(); off%60 != 0 {
		layout = "2006-01-02T15:04:05Z07:00:00"
	}
	return fmt.Errorf("event %s: %s %s is outside the years 1678–2261", display.QuoteID(id), what, t.Format(layout))
}

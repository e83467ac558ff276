package kpi

import (
	"context"
	"slices"
	"time"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
)

// Table holds event versions in goalkit's columnar form, each dated once,
// when it is applied, in the table's time zone. It is what every evaluation
// reads: adapters/memory and the Tracker keep their events in one, and
// Snapshot reads any other Source into one. A Table is not safe for
// concurrent use: its owner locks it (many readers or one writer).
type Table struct {
	t *colstore.Table
}

// NewTable returns an empty table whose events are dated in loc (nil: UTC).
func NewTable(loc *time.Location) *Table {
	if loc == nil {
		loc = time.UTC
	}
	return &Table{t: colstore.New(loc)}
}

// Location returns the time zone the table dates its events in.
func (t *Table) Location() *time.Location { return t.t.Location() }

// Apply applies one event version: a new event, a correction (the same ID
// again, any field changed) or a retraction (Deleted). An invalid event is
// refused whole, with an error that says why; so is one whose actor is
// org.Everyone, as Validate refuses it.
func (t *Table) Apply(e *Event) error {
	if err := everyoneProblem(e); err != nil {
		return err
	}
	return t.t.ApplyVersion((*colstore.Version)(e), nil, colstore.Codes{}, nil)
}

// everyoneProblem is the one check of Validate the table's own (ApplyVersion)
// does not make: a version whose actor is org.Everyone, which no actor may
// share, is refused (a retraction's actor is not read).
func everyoneProblem(e *Event) error {
	if e.Actor == org.Everyone && !e.Deleted {
		return everyoneActor(e.ID)
	}
	return nil
}

// CheckNames reports whether the table can take events without passing
// MaxAttrNames or its room for event kinds (MaxKinds): for callers that
// validate a batch whole before applying any of it (Apply checks each
// event itself).
func (t *Table) CheckNames(events []Event) error {
	return checkNames(t.t, events)
}

func checkNames(t *colstore.Table, events []Event) error {
	if err := checkKinds(t, events); err != nil {
		return err
	}
	// A batch with no more names in all than the table has room for cannot
	// pass the limit: nothing to look up (the common case, one event or a
	// few known names).
	names := t.AttrNames()
	for i := range events {
		if !events[i].Deleted {
			names += len(events[i].Attrs)
		}
	}
	if names <= colstore.MaxAttrNames {
		return nil
	}
	var added map[string]struct{}
	for i := range events {
		e := &events[i]
		if e.Deleted || len(e.Attrs) == 0 {
			continue
		}
		if added == nil {
			added = map[string]struct{}{}
		}
		if err := t.CheckNames(e.ID, e.Attrs, added); err != nil {
			return err
		}
	}
	return nil
}

// checkKinds refuses the first event of events whose kind would take t
// past colstore.MaxKinds.
func checkKinds(t *colstore.Table, events []Event) error {
	if t.Kinds()+len(events) <= colstore.MaxKinds {
		return nil // not enough events to pass it
	}
	added := map[string]struct{}{}
	for i := range events {
		if e := &events[i]; !e.Deleted {
			if err := t.CheckKind(e.ID, e.Kind, added); err != nil {
				return err
			}
		}
	}
	return nil
}

// Grow makes room for about n more events, so that applying them does not
// resize the table's index on the way.
func (t *Table) Grow(n int) { t.t.Grow(n) }

// Len returns the number of live events.
func (t *Table) Len() int { return t.t.Live() }

// Bytes estimates the memory the table's columns hold.
func (t *Table) Bytes() int { return t.t.Bytes() }

// Get returns the live version of an event, with its own copy of the ID and
// attributes. Its time is in the table's zone, or in UTC where that zone's
// offset then had seconds (a local mean time, a fixed zone of an odd
// offset), which RFC 3339 and so encoding/json cannot write; as Scan's.
func (t *Table) Get(id string) (Event, bool) {
	seg, row, ok := t.t.Lookup(id)
	if !ok || !seg.Alive(row) {
		return Event{}, false
	}
	var r colstore.Row
	t.t.Read(seg, row, &r)
	e := rowEvent(&r)
	e.ID = string([]byte(r.ID))
	if len(r.Attrs) > 0 {
		e.Attrs = make(map[string]any, len(r.Attrs))
		for k, v := range r.Attrs {
			e.Attrs[k] = v
		}
	}
	return e, true
}

func rowEvent(r *colstore.Row) Event {
	return Event{ID: r.ID, Kind: r.Kind, Time: r.Time, Actor: r.Actor, Amount: r.Amount, Currency: r.Currency, Attrs: r.Attrs, Known: r.Known}
}

// Scan implements Source over the live events. The Event passed to fn, its
// ID and its Attrs are reused: copy what you keep.
func (t *Table) Scan(ctx context.Context, q Query, fn func(*Event) error) error {
	var r colstore.Row
	var e Event
	var from, to int64 = -1 << 63, 1<<63 - 1
	if !q.From.IsZero() {
		from = nanos(q.From)
	}
	if !q.To.IsZero() {
		to = nanos(q.To)
	}
	for _, seg := range t.t.Segs {
		if q.Kinds != nil && !containsString(q.Kinds, seg.Kind) {
			continue
		}
		for i := 0; i < seg.N; i++ {
			if i%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if !seg.Alive(i) || seg.TS[i] < from || seg.TS[i] >= to {
				continue
			}
			t.t.Read(seg, i, &r)
			e = rowEvent(&r)
			if err := fn(&e); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TableSource is implemented by sources that keep their events in a Table
// (adapters/memory, the Tracker): evaluations read it in place instead of
// scanning. ReadTable calls fn with the table, unchanged until fn returns
// (under a read lock, say); fn must not keep it.
type TableSource interface {
	Source
	ReadTable(ctx context.Context, fn func(*Table) error) error
}

// Actors returns the actors with a live event of one of kinds dated in p
// (in the table's zone), at or before asOf, sorted. A knownAt that is not
// zero keeps only the events known by then, as Request.KnownAt does.
func (t *Table) Actors(kinds []string, p period.Period, asOf, knownAt time.Time) []string {
	actors := t.t.Actors()
	seen := make([]bool, len(actors))
	left := len(actors) - count(actors, "") // actors not found yet
	limit, known := nanos(asOf), knownLimitOf(knownAt)
	for _, k := range kinds {
		seg := t.t.Segment(k)
		if seg == nil {
			continue
		}
		// The newest rows first, which are those of a recent period: the
		// scan ends once every actor is found.
		for i := seg.N - 1; i >= 0 && left > 0; i-- {
			d := seg.Day[i]
			if d == colstore.DeadDay || d < int32(p.Start) || d >= int32(p.End) || seg.TS[i] > limit {
				continue
			}
			if known.hides(seg.Known(i)) {
				continue
			}
			if c := seg.Actor[i]; int(c) < len(actors) && !seen[c] && actors[c] != "" {
				seen[c] = true
				left--
			}
		}
	}
	var out []string
	for c, ok := range seen {
		if ok {
			out = append(out, actors[c])
		}
	}
	slices.Sort(out)
	return out
}

// count returns how many of xs are x.
func count[T comparable](xs []T, x T) int {
	n := 0
	for _, y := range xs {
		if y == x {
			n++
		}
	}
	return n
}

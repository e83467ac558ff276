package kpi

import (
	"context"
	"time"
)

// Query selects the events a Source scans.
type Query struct {
	// Kinds lists the event kinds wanted; nil means every kind.
	Kinds []string
	// From and To bound event times to the half-open range [From, To). A zero
	// value leaves that side unbounded.
	From, To time.Time
}

// Source is where events come from. Hosts implement it over their own storage;
// adapters/memory is the embedded default.
//
// Scan calls fn once for the current version of every live event that matches
// q: corrections have already replaced the versions they correct, and
// retracted events are not passed. The order is unspecified. Scan stops and
// returns the error fn returns, or ctx.Err() once ctx is done. The Event passed
// to fn (and its Attrs) may be reused after fn returns.
type Source interface {
	Scan(ctx context.Context, q Query, fn func(*Event) error) error
}

// Events is a Source over event versions held in a slice, as a host's
// stream of them: applied in order, the last version of an ID wins and a
// Deleted version retracts it. It suits tests and small hosts; a
// memory.Store keeps events indexed for repeated evaluations.
type Events []Event

// Scan implements Source.
func (es Events) Scan(ctx context.Context, q Query, fn func(*Event) error) error {
	tab := NewTable(time.UTC)
	for i := range es {
		if err := tab.Apply(&es[i]); err != nil {
			return err
		}
	}
	return tab.Scan(ctx, q, fn)
}

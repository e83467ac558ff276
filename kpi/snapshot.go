package kpi

import (
	"context"
	"fmt"
	"time"
)

// Snapshot reads the events of src that match q once, into one consistent
// Table dated in loc, and calls fn with it: every engine of one report
// (indicators, scorecards, goals, cascades, explanations) reads the same
// table, so a report never mixes two states of a live source. A
// TableSource whose table is dated in loc is read in place, under its own
// lock, and may hold more than q selects; any other source is scanned once.
// fn must not keep the table, nor write to src while it runs.
func Snapshot(ctx context.Context, src Source, loc *time.Location, q Query, fn func(*Table) error) error {
	if ts, ok := src.(TableSource); ok {
		// One read: the table in place when it dates in loc.
		inZone := false
		err := ts.ReadTable(ctx, func(t *Table) error {
			if inZone = t.Location().String() == loc.String(); !inZone {
				return nil
			}
			return fn(t)
		})
		if inZone || err != nil {
			return err
		}
	}
	tab := NewTable(loc)
	err := src.Scan(ctx, q, func(e *Event) error {
		live := tab.Len()
		if err := tab.Apply(e); err != nil {
			return fmt.Errorf("source: %w", err)
		}
		// A Source passes each live event once: an ID passed again (a host
		// table without a unique id) would replace the first row without a
		// word, where a pushed aggregate counts both.
		if !e.Deleted && tab.Len() == live {
			return fmt.Errorf("source: event %q passed twice (a Source passes the current version of each live event once)", e.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return fn(tab)
}

// isTableIn reports whether src is a TableSource whose table dates its events
// in loc.
func isTableIn(src Source, loc *time.Location) bool {
	ts, ok := src.(TableSource)
	if !ok {
		return false
	}
	in := false
	_ = ts.ReadTable(context.Background(), func(t *Table) error {
		in = t.Location().String() == loc.String()
		return nil
	})
	return in
}

package kpi

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/internal/display"
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
			if inZone = sameZone(t.Location(), loc); !inZone {
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
		if e == nil {
			return errors.New("source: a nil event passed (a Source passes an event to each call)")
		}
		live := tab.Len()
		if err := tab.Apply(e); err != nil {
			return fmt.Errorf("source: %w", err)
		}
		// A Source passes each live event once: an ID passed again (a host
		// table without a unique id) would replace the first row without a
		// word, where a pushed aggregate counts both.
		if !e.Deleted && tab.Len() == live {
			return fmt.Errorf("source: event %s passed twice (a Source passes the current version of each live event once)", display.QuoteID(e.ID))
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
		in = sameZone(t.Location(), loc)
		return nil
	})
	return in
}

// zoneProbes are the instants at which sameZone compares two zones of the
// same name: a winter's and a summer's day of years from 1900 to 2050,
// recent ones first (an error names the first at which they differ).
var zoneProbes = func() []time.Time {
	var ts []time.Time
	for _, y := range []int{2025, 2020, 2010, 2000, 1990, 1970, 1950, 1930, 1900, 2030, 2050} {
		ts = append(ts, time.Date(y, 1, 15, 12, 0, 0, 0, time.UTC), time.Date(y, 7, 15, 12, 0, 0, 0, time.UTC))
	}
	return ts
}()

// sameZone reports whether a table dated in a dates its events as b does:
// the same location, or one of the same name (a zone loaded again) with
// the same offsets at the instants of zoneProbes. The name alone is not
// enough: zones parsed from offsets (time.Parse of +03:00 and of +05:00)
// are both named "", and a table read in place in another zone than the
// calendar's counts its events on its own dates.
func sameZone(a, b *time.Location) bool {
	_, differ := zoneDiff(a, b)
	return !differ
}

// zoneDiff returns an instant at which a and b differ (their names, or
// their offsets at one of zoneProbes), and whether there is one.
func zoneDiff(a, b *time.Location) (time.Time, bool) {
	if a == b {
		return time.Time{}, false
	}
	if a.String() != b.String() {
		return time.Time{}, true
	}
	for _, t := range zoneProbes {
		_, oa := t.In(a).Zone()
		if _, ob := t.In(b).Zone(); oa != ob {
			return t, true
		}
	}
	return time.Time{}, false
}

// zoneText names loc for an error, with its offset at t when t is not zero
// (two zones of one name told apart).
func zoneText(loc *time.Location, t time.Time) string {
	name := loc.String()
	if name == "" {
		name = "a zone without a name"
	}
	if t.IsZero() {
		return name
	}
	_, off := t.In(loc).Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	text := fmt.Sprintf("UTC%s%02d:%02d", sign, off/3600, off/60%60)
	if off%60 != 0 {
		text += fmt.Sprintf(":%02d", off%60)
	}
	return fmt.Sprintf("%s (%s on %s)", name, text, t.Format(time.DateOnly))
}

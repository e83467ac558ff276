package kpi_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// Event.Validate bounds Time to the years 1678–2261 ("instants are kept as
// nanoseconds in an int64") but not Known, which the table keeps as
// nanoseconds too (colstore: in.Known.UnixNano()): a version known in
// 2300 is taken and kept as known in 1715, an instant it never had (and
// AsKnownAt then counts it as known long before it was). Validate should
// refuse a Known outside those years as it refuses such a Time.
func TestKnownOutsideTheYearsIsRefusedOrKept(t *testing.T) {
	tab := kpi.NewTable(time.UTC)
	known := time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)
	e := kpi.Event{ID: "a", Kind: "call", Actor: "u", Time: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Known: known}
	if err := tab.Apply(&e); err != nil {
		return // refused: fine
	}
	got, ok := tab.Get("a")
	if !ok {
		t.Fatal("the event is not in the table")
	}
	if !got.Known.Equal(known) {
		t.Errorf("Known %v taken and kept as %v", known, got.Known)
	}
}

// Table.Apply says an invalid event is refused whole, and Table.Import
// refuses what Validate refuses; but neither checks the years of an
// event's time (1678–2261, which Validate requires because the table
// keeps int64 nanoseconds) when the table codes the version itself
// (Apply; Import into an empty table): a deal of 3000-01-01 is kept as
// one of 1830-11-23. Import into a table that holds events validates each
// version and refuses it. colstore's encode, or Table.Apply and
// importEmpty, should refuse it.
func TestTableRefusesATimeOutsideTheYears(t *testing.T) {
	bad := kpi.Event{ID: "a", Kind: "k", Actor: "u", Time: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}
	tab := kpi.NewTable(time.UTC)
	if err := tab.Apply(&bad); err == nil {
		e, _ := tab.Get("a")
		t.Errorf("Apply took a time of 3000 and keeps it at %v", e.Time)
	}
	tab = kpi.NewTable(time.UTC)
	err := tab.Import(context.Background(), func(add func(*kpi.Event) error) error { e := bad; return add(&e) })
	if err == nil {
		e, _ := tab.Get("a")
		t.Errorf("Import into an empty table took a time of 3000 and keeps it at %v", e.Time)
	}
}

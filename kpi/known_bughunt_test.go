package kpi_test

import (
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

package kpi_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// The table keeps Known as int64 nanoseconds, as it keeps Time: a version
// known in 2300 would be kept as known in 1715 (and AsKnownAt would count
// it long before it was known). It is refused, or kept as it was.
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

// Table.Apply and Table.Import into an empty table code a version
// themselves, without Validate: they refuse a time outside the years
// 1678–2261 too (a deal of 3000-01-01 would be kept as one of 1830-11-23).
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

// Validate refuses an event whose time or known instant is outside the
// years a table keeps, naming which, and a retraction known outside them.
func TestValidateRefusesInstantsOutsideTheYears(t *testing.T) {
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	west := time.FixedZone("W", -5*3600)
	for _, c := range []struct {
		e    kpi.Event
		want string
	}{
		{kpi.Event{ID: "a", Kind: "k", Time: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}, `event "a": time 3000-01-01T00:00:00Z is outside the years 1678–2261`},
		{kpi.Event{ID: "a", Kind: "k", Time: time.Date(1677, 12, 31, 22, 0, 0, 0, west)}, `event "a": time 1677-12-31T22:00:00-05:00 is outside the years 1678–2261`},
		{kpi.Event{ID: "a", Kind: "k", Time: at, Known: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)}, `event "a": known 2300-01-01T00:00:00Z is outside the years 1678–2261`},
		{kpi.Event{ID: "a", Deleted: true, Known: time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)}, `event "a": known 1600-01-01T00:00:00Z is outside the years 1678–2261`},
		{kpi.Event{ID: "a", Kind: "k", Time: at, Known: time.Date(2261, 12, 31, 0, 0, 0, 0, time.UTC)}, ""},
	} {
		err := c.e.Validate()
		if got := fmt.Sprint(err); (c.want == "" && err != nil) || (c.want != "" && got != c.want) {
			t.Errorf("Validate(%+v) = %v, want %q", c.e, err, c.want)
		}
		tab := kpi.NewTable(time.UTC)
		if applied := tab.Apply(&c.e); c.want != "" && !c.e.Deleted && fmt.Sprint(applied) != c.want {
			t.Errorf("Table.Apply(%+v) = %v, want %q", c.e, applied, c.want)
		}
	}
}

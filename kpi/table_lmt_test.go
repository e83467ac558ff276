package kpi_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// An event read back from a table keeps its instant in its JSON when the
// table's zone then had an offset with seconds: Moscow kept +02:30:17
// until 1916, and RFC 3339 writes no seconds in an offset, so an event at
// noon UTC was written 14:30:17+02:30, 17 s later. Such an instant is given
// in UTC, as an explanation's are; another keeps the zone. Fixed zones of
// odd offsets, which a host may give a plan, are read the same way.
func TestTableEventTimesInASecondsOffset(t *testing.T) {
	moscow, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		loc      *time.Location
		at       time.Time
		wantZone bool // the time read back is in loc, not UTC
	}{
		{moscow, time.Date(1900, 1, 1, 12, 0, 0, 0, time.UTC), false},
		{moscow, time.Date(1990, 1, 1, 12, 0, 0, 5, time.UTC), true},
		{time.FixedZone("odd", 3*3600+7), time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC), false},
		{time.FixedZone("half", -(9*3600 + 30*60)), time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC), true},
	} {
		tab := kpi.NewTable(c.loc)
		if err := tab.Apply(&kpi.Event{ID: "e1", Kind: "k", Actor: "anna", Time: c.at}); err != nil {
			t.Fatal(err)
		}
		var read []kpi.Event
		if e, ok := tab.Get("e1"); ok {
			read = append(read, e)
		}
		if err := tab.Scan(context.Background(), kpi.Query{}, func(e *kpi.Event) error {
			read = append(read, e.Clone())
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(read) != 2 {
			t.Fatalf("%s in %s: read %d events, want 2", c.at, c.loc, len(read))
		}
		for i, e := range read {
			data, err := json.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			var back struct{ Time time.Time }
			if err := json.Unmarshal(data, &back); err != nil {
				t.Fatal(err)
			}
			if !back.Time.Equal(c.at) {
				t.Errorf("%s in %s (read %d): written as %s, another instant", c.at, c.loc, i, data)
			}
			if in := e.Time.Location() == c.loc; in != c.wantZone {
				t.Errorf("%s in %s (read %d): read back in %s", c.at, c.loc, i, e.Time.Location())
			}
		}
	}
}

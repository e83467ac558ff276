package sqlcoretest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// TestBoundYears checks a scan's time bounds near the ends of the years a
// table keeps (1678–2261, each event's in its own zone): a bound is judged
// as an instant, as the table keeps it, whatever its zone spells. A start
// bound of 1677-12-31T23:30-01:00 (1678-01-01T00:30Z) was taken as before
// everything, so an event of 1678-01-01T00:15+01:00 before it was counted.
func TestBoundYears(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	zone := func(h int) *time.Location { return time.FixedZone("", h*3600) }
	events := []kpi.Event{
		{ID: "first", Kind: "call", Actor: "u1", Time: time.Date(1678, 1, 1, 0, 15, 0, 0, zone(1))},
		{ID: "mid", Kind: "call", Actor: "u1", Time: time.Date(1900, 6, 1, 0, 0, 0, 0, time.UTC)},
		{ID: "last", Kind: "call", Actor: "u1", Time: time.Date(2261, 12, 31, 23, 30, 0, 0, zone(-1))},
	}
	if err := s.Apply(ctx, events...); err != nil {
		t.Fatal(err)
	}
	var zero time.Time
	for _, c := range []struct{ from, to time.Time }{
		{time.Date(1677, 12, 31, 23, 30, 0, 0, zone(-1)), zero},
		{zero, time.Date(2262, 1, 1, 0, 10, 0, 0, zone(1))},
		{time.Date(1677, 12, 31, 23, 0, 0, 0, time.UTC), time.Date(2262, 1, 1, 0, 40, 0, 0, time.UTC)},
		{time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), zero},
		{zero, time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(1, 1, 1, 0, 30, 0, 0, zone(1)), time.Date(9999, 12, 31, 23, 30, 0, 0, zone(-1))},
	} {
		var want []string
		for _, e := range events {
			if (c.from.IsZero() || !e.Time.Before(c.from)) && (c.to.IsZero() || e.Time.Before(c.to)) {
				want = append(want, e.ID)
			}
		}
		var got []string
		err := s.Scan(ctx, kpi.Query{From: c.from, To: c.to}, func(e *kpi.Event) error {
			got = append(got, e.ID)
			return nil
		})
		if err != nil {
			t.Fatalf("[%v, %v): %v", c.from, c.to, err)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("[%v, %v): got %v, want %v", c.from, c.to, got, want)
		}
	}
}

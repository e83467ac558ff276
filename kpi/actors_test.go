package kpi_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// Table.Actors gives the actors that a scan of the live events, counted
// here one by one, finds with an event of the kinds in the period by
// asOf, known at knownAt (zero: all): whatever the corrections (another
// actor, day or kind) and retractions applied, and the actors left without
// an event.
func TestTableActorsAreThoseOfTheLiveEvents(t *testing.T) {
	ctx := context.Background()
	base := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	rapid.Check(t, func(rt *rapid.T) {
		tab := kpi.NewTable(time.UTC)
		n := rapid.IntRange(0, 60).Draw(rt, "n")
		for i := range n {
			e := kpi.Event{
				ID:      fmt.Sprint("e", rapid.IntRange(0, 20).Draw(rt, "id")),
				Kind:    rapid.SampledFrom([]string{"call", "meeting", "deal"}).Draw(rt, "kind"),
				Actor:   fmt.Sprint("u", rapid.IntRange(0, 8).Draw(rt, "actor")),
				Time:    base.Add(time.Duration(rapid.IntRange(0, 40*24).Draw(rt, "hour")) * time.Hour),
				Deleted: rapid.IntRange(0, 9).Draw(rt, "deleted") == 0,
			}
			if rapid.Bool().Draw(rt, "known") {
				e.Known = base.Add(time.Duration(rapid.IntRange(1, 41*24).Draw(rt, "knownHour")) * time.Hour)
			}
			if err := tab.Apply(&e); err != nil {
				rt.Fatalf("event %d: %v", i, err)
			}
		}
		kinds := []string{"call", "meeting"}
		if rapid.Bool().Draw(rt, "one kind") {
			kinds = kinds[:1]
		}
		start := date.NewAt(base) + date.Date(rapid.IntRange(0, 40).Draw(rt, "from"))
		p := period.Period{Grain: period.Day, Start: start, End: start + date.Date(rapid.IntRange(0, 20).Draw(rt, "days"))}
		asOf := base.Add(time.Duration(rapid.IntRange(0, 41*24).Draw(rt, "asOf")) * time.Hour)
		var knownAt time.Time
		if rapid.Bool().Draw(rt, "knownAt set") {
			knownAt = base.Add(time.Duration(rapid.IntRange(0, 41*24).Draw(rt, "knownAt")) * time.Hour)
		}

		var want []string
		err := tab.Scan(ctx, kpi.Query{Kinds: kinds}, func(e *kpi.Event) error {
			if d := date.NewAt(e.Time); p.Contains(d) && !e.Time.After(asOf) && (knownAt.IsZero() || e.Known.IsZero() || !e.Known.After(knownAt)) && !slices.Contains(want, e.Actor) {
				want = append(want, e.Actor)
			}
			return nil
		})
		if err != nil {
			rt.Fatal(err)
		}
		slices.Sort(want)
		if got := tab.Actors(kinds, p, asOf, knownAt); !slices.Equal(got, want) {
			rt.Fatalf("Actors = %v, want %v", got, want)
		}
	})
}

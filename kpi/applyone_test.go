package kpi_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// A tracker without a store applied one version at a time (Apply's path
// of one event, with its attributes checked by the table's names) while
// another goroutine reads it (so that, once an Apply meets a read, the
// reads go to the replica, which takes each version's attributes by those
// names) holds what a batch evaluation of the same versions holds, read
// now, as of an instant and as known at one.
func TestTrackerOfSingleAppliesMatchesBatch(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		set, req := drawTracking(t)
		cal, periods := req.Calendar, req.Periods
		tr, err := set.Track(ctx, req, nil)
		if err != nil {
			t.Fatal(err)
		}
		stream := genStream(t, cal, periods)
		start, _ := cal.Bounds(periods[0])
		_, end := cal.Bounds(periods[len(periods)-1])
		readers := 0
		if rapid.Bool().Draw(t, "concurrent reads") {
			readers = 1
		}
		stop := enginetest.ReadLoop(readers, func() error { _, err := tr.Result(ctx, time.Time{}); return err })
		clock := start
		var applied []kpi.Event
		for i, e := range stream {
			clock = clock.Add(time.Duration(i%7) * time.Hour)
			if i%3 > 0 {
				e.Known = clock
			}
			if err := tr.Apply(ctx, e); err != nil {
				stop()
				t.Fatalf("apply %d (%s): %v", i, e.ID, err)
			}
			applied = append(applied, e)
			if i%5 == 4 {
				sameResult(t, "now", must(t)(tr.Result(ctx, time.Time{})), batchOf(t, set, req, applied))
			}
		}
		if err := stop(); err != nil {
			t.Fatal(err)
		}
		sameResult(t, "now", must(t)(tr.Result(ctx, time.Time{})), batchOf(t, set, req, applied))
		asOf := start.Add(time.Duration(rapid.Int64Range(0, int64(end.Sub(start))).Draw(t, "at")))
		r := req
		r.AsOf = asOf
		sameResult(t, "as of", must(t)(tr.Result(ctx, asOf)), batchOf(t, set, r, applied))
		at := clock.Add(-time.Duration(rapid.IntRange(0, 48).Draw(t, "back")) * time.Hour)
		var then []kpi.Event
		for _, e := range applied {
			if e.Known.IsZero() || !e.Known.After(at) {
				then = append(then, e)
			}
		}
		r = req
		r.AsOf = at
		sameResult(t, "as known at", must(t)(tr.AsKnownAt(ctx, at)), batchOf(t, set, r, then))
	})
}

package kpi_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// twoCores makes sure the tracker may use a second core, for the test.
func twoCores(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		prev := runtime.GOMAXPROCS(2)
		t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
	}
}

// TestTrackerLargeBatches: batches aggregated on two cores (every batch,
// here) leave a tracker in the state applying them event by event gives:
// the same values as a tracker that applies them one by one, equal to a
// batch evaluation, also as known at an earlier instant and after a
// restart from the store; corrections and retractions of events of the
// same batch included.
func TestTrackerLargeBatches(t *testing.T) {
	twoCores(t)
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		set, req := drawTracking(t)
		cal, periods := req.Calendar, req.Periods
		two, err := set.Track(ctx, req, nil)
		if err != nil {
			t.Fatal(err)
		}
		one, err := set.Track(ctx, req, nil)
		if err != nil {
			t.Fatal(err)
		}
		stream := genStream(t, cal, periods)
		start, _ := cal.Bounds(periods[0])
		var applied []kpi.Event
		for len(stream) > 0 {
			n := rapid.IntRange(1, len(stream)).Draw(t, "batch")
			batch := stream[:n]
			stream = stream[n:]
			for i := range batch {
				if rapid.Bool().Draw(t, "known") {
					batch[i].Known = start.Add(time.Duration(len(applied)+i) * time.Minute)
				}
			}
			restore := kpi.SetParallelBatch(1)
			err2 := two.Apply(ctx, batch...)
			restore()
			err1 := one.Apply(ctx, batch...)
			if fmt.Sprint(err1) != fmt.Sprint(err2) {
				t.Fatalf("on two cores: %v, event by event: %v", err2, err1)
			}
			if err1 != nil {
				continue
			}
			applied = append(applied, batch...)
			res := must(t)(two.Result(ctx, time.Time{}))
			sameResult(t, "two cores", res, must(t)(one.Result(ctx, time.Time{})))
			sameResult(t, "two cores", res, batchOf(t, set, req, applied))
		}
		if len(applied) > 0 {
			at := applied[len(applied)/2].Known
			if at.IsZero() {
				at = start
			}
			sameResult(t, "as known at", must(t)(two.AsKnownAt(ctx, at)), must(t)(one.AsKnownAt(ctx, at)))
		}
	})
}

// TestTrackerLargeBatchFails: a large batch whose aggregation fails on two
// cores (a rate lookup fails for an event of each half) names the event
// applying it event by event names, the first, and leaves the tracker as it
// was.
func TestTrackerLargeBatchFails(t *testing.T) {
	twoCores(t)
	ctx := context.Background()
	set, req := failingRates(t, "won")
	usd := func(id, d int, n int64) kpi.Event {
		return kpi.Event{ID: fmt.Sprint(id), Kind: "won", Time: time.Date(2025, 1, d, 12, 0, 0, 0, time.UTC), Actor: fmt.Sprint("u", id%7),
			Amount: decimal.NewNullDecimal(decimal.New(n, 0)), Currency: "USD"}
	}
	var first, batch []kpi.Event
	for i := range 100 {
		first = append(first, usd(i, 1+i%12, int64(i)))
	}
	for i := range 100 {
		batch = append(batch, usd(i/2, 2+i%10, int64(i))) // corrections, of events of the batch too
	}
	batch = append(batch, kpi.Event{ID: "3", Deleted: true})
	batch[30] = usd(500, 13, 1) // the rate fails
	batch[90] = usd(501, 13, 1)
	var errs []string
	for _, n := range []int{1 << 30, 1} {
		tr, err := set.Track(ctx, req, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.Apply(ctx, first...); err != nil {
			t.Fatal(err)
		}
		before := must(t)(tr.Result(ctx, time.Time{}))
		restore := kpi.SetParallelBatch(n)
		err = tr.Apply(ctx, batch...)
		restore()
		if err == nil || !strings.Contains(err.Error(), "rates service down") {
			t.Fatalf("got %v, want the rate error", err)
		}
		errs = append(errs, err.Error())
		sameResult(t, "after the failed batch", must(t)(tr.Result(ctx, time.Time{})), before)
		if tr.Len() != 100 {
			t.Fatalf("%d events after the failed batch, want 100", tr.Len())
		}
	}
	if !strings.HasPrefix(errs[0], "event 30:") || errs[1] != errs[0] {
		t.Fatalf("event by event: %s; on two cores: %s", errs[0], errs[1])
	}
}

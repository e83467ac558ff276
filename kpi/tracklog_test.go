package kpi_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestTrackerManySegments: a tracker of more than 255 event kinds (its log
// of applications widens from one byte a version to two) replays its log
// exactly: after a failed batch is rolled back, as known at an earlier
// instant, and restarted from a snapshot, with corrections that move
// events between kinds and retractions.
func TestTrackerManySegments(t *testing.T) {
	ctx := context.Background()
	var kinds []string
	for k := range 300 {
		kinds = append(kinds, fmt.Sprintf("k%03d", k))
	}
	set, req := failingRates(t, kinds...)
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	rapid.Check(t, func(t *rapid.T) {
		store := kpi.NewSnapStore()
		tr, err := set.Track(ctx, req, store)
		if err != nil {
			t.Fatal(err)
		}
		n := rapid.IntRange(256, 900).Draw(t, "versions")
		ids := rapid.IntRange(50, 400).Draw(t, "ids")
		var applied []kpi.Event
		for i := range n {
			e := kpi.Event{ID: fmt.Sprint(i % ids), Kind: kinds[(i*7)%len(kinds)], Time: t0.Add(time.Duration(i%12*24+12) * time.Hour),
				Actor: fmt.Sprint("u", i%5), Amount: decimal.NewNullDecimal(decimal.New(int64(i), 0)), Currency: "USD",
				Known: t0.Add(time.Duration(i) * time.Minute)}
			if i%9 == 8 {
				e = kpi.Event{ID: e.ID, Deleted: true, Known: e.Known}
			}
			if err := tr.Apply(ctx, e); err != nil {
				t.Fatal(err)
			}
			applied = append(applied, e)
		}
		bad := []kpi.Event{{ID: "x", Kind: kinds[299], Time: time.Date(2025, 1, 13, 1, 0, 0, 0, time.UTC), Actor: "u1",
			Amount: decimal.NewNullDecimal(decimal.New(1, 0)), Currency: "USD"}}
		bad = append([]kpi.Event{{ID: "1", Kind: kinds[3], Time: t0.Add(time.Hour), Actor: "u2"}}, bad...)
		if err := tr.Apply(ctx, bad...); err == nil {
			t.Fatal("a batch whose rate fails was applied")
		}
		sameResult(t, "after a rollback", must(t)(tr.Result(ctx, time.Time{})), batchOf(t, set, req, applied))
		at := applied[rapid.IntRange(0, n-1).Draw(t, "at")].Known
		var then []kpi.Event
		for _, e := range applied {
			if !e.Known.After(at) {
				then = append(then, e)
			}
		}
		r := req
		r.AsOf = at
		sameResult(t, "as known at", must(t)(tr.AsKnownAt(ctx, at)), batchOf(t, set, r, then))
		if err := tr.Snapshot(ctx); err != nil {
			t.Fatal(err)
		}
		want := must(t)(tr.Result(ctx, time.Time{}))
		tr.Close()
		restored, err := set.Track(ctx, req, store)
		if err != nil {
			t.Fatal(err)
		}
		sameResult(t, "restored", must(t)(restored.Result(ctx, time.Time{})), want)
		sameResult(t, "restored, as known at", must(t)(restored.AsKnownAt(ctx, at)), batchOf(t, set, r, then))
		restored.Close()
	})
}

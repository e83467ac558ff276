package kpi_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// Batches that fail half-way (a rate lookup fails for an event on the
// 13th) while reads run beside them (the replica on) leave the tracker as
// it was: at the end it holds the batches that succeeded, a batch
// evaluation's values, the live org.Everyone cells included; and a read
// between never sees part of a failed batch (its count of events is a sum
// of whole batches'), whatever kinds a failed batch brought.
func TestTrackerFailedBatchesBesideReads(t *testing.T) {
	ctx := context.Background()
	set, req := failingRates(t, "won")
	tr, err := set.Track(ctx, req, memory.NewTrackStore())
	if err != nil {
		t.Fatal(err)
	}
	usd := func(id string, d int, n int64, actor string) kpi.Event {
		return kpi.Event{ID: id, Kind: "won", Time: time.Date(2025, 1, d, 12, 0, 0, 0, time.UTC), Actor: actor, Amount: decimal.NewNullDecimal(decimal.New(n, 0)), Currency: "USD"}
	}
	stop := enginetest.ReadLoop(2, func() error { _, err := tr.Result(ctx, time.Time{}); return err })
	rng := rand.New(rand.NewPCG(5, 6))
	var applied []kpi.Event
	failed := 0
	for range 600 {
		var batch []kpi.Event
		for range 1 + rng.IntN(4) {
			id := fmt.Sprint(rng.IntN(40))
			d := 1 + rng.IntN(31)
			if d == 13 && rng.IntN(3) > 0 {
				d = 14
			}
			e := usd(id, d, int64(1+rng.IntN(100)), fmt.Sprint("u", rng.IntN(5)))
			// Kinds no indicator counts, each new to the tracker in some
			// batch that fails: its segment goes with the rollback, and
			// the kinds after it take other places in the writer's state
			// than they had in the state a reader read before.
			if k := rng.IntN(12); k < 4 {
				e.Kind = []string{"call", "meet", "visit", "mail"}[k]
			}
			if rng.IntN(8) == 0 {
				e = kpi.Event{ID: id, Deleted: true}
			}
			batch = append(batch, e)
		}
		err := tr.Apply(ctx, batch...)
		if err != nil {
			failed++
			continue
		}
		applied = append(applied, batch...)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if failed == 0 {
		t.Fatal("no batch failed")
	}
	store := memory.New(req.Calendar.Location())
	if err := store.Apply(applied...); err != nil {
		t.Fatal(err)
	}
	want, err := set.Evaluate(ctx, store, req)
	if err != nil {
		t.Fatal(err)
	}
	got, err := tr.Result(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	sameResult(t, fmt.Sprintf("after %d failed batches", failed), got, want)
}

package kpi_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// storeFailed reports whether err is marked as the store's failure.
func storeFailed(err error) bool {
	var f interface{ StoreFailure() bool }
	return errors.As(err, &f) && f.StoreFailure()
}

// A store's failure to commit comes back marked as such, wrapping the
// store's error, with nothing applied; a refused batch, a duplicate ledger
// key and a cancelled call are not marked.
func TestTrackerTellsAStoreFailureFromARefusal(t *testing.T) {
	ctx := context.Background()
	set, req := failingRates(t, "won")
	store := &failingStore{TrackStore: memory.NewTrackStore()}
	tr, err := set.Track(ctx, req, store)
	if err != nil {
		t.Fatal(err)
	}
	won := func(id string, d int) kpi.Event {
		return kpi.Event{ID: id, Kind: "won", Time: time.Date(2025, 1, d, 12, 0, 0, 0, time.UTC), Actor: "u",
			Amount: decimal.NewNullDecimal(decimal.New(10, 0)), Currency: "USD"}
	}
	if err := tr.Apply(ctx, won("1", 2)); err != nil {
		t.Fatal(err)
	}
	before, err := tr.Result(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}

	store.fail.Store(true)
	err = tr.Apply(ctx, won("2", 3), won("3", 4))
	if !storeFailed(err) || !errors.Is(err, errCommit) || err.Error() != errCommit.Error() {
		t.Fatalf("store down: got %v (marked %t), want the store's error, marked", err, storeFailed(err))
	}
	after, err := tr.Result(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(after.Rows()) != fmt.Sprint(before.Rows()) || tr.Len() != 1 {
		t.Fatalf("after the store failed: %v (%d events), want %v", after.Rows(), tr.Len(), before.Rows())
	}
	store.fail.Store(false)
	if err := tr.Apply(ctx, won("2", 3), won("3", 4)); err != nil {
		t.Fatalf("the same batch again, the store up: %v", err)
	}
	if tr.Len() != 3 {
		t.Fatalf("%d events, want 3", tr.Len())
	}

	for _, c := range []struct {
		what string
		err  func() error
	}{
		{"a refused event", func() error { return tr.Apply(ctx, kpi.Event{ID: "4", Kind: "won", Actor: "u"}) }},
		{"a failed rate", func() error { return tr.Apply(ctx, won("5", 13)) }},
		{"a duplicate ledger key", func() error {
			if err := tr.Commit(ctx, &kpi.TrackBatch{Ledger: []kpi.TrackRecord{{Key: "k"}}}); err != nil {
				return fmt.Errorf("first commit: %w", err)
			}
			return tr.Commit(ctx, &kpi.TrackBatch{Ledger: []kpi.TrackRecord{{Key: "k"}}})
		}},
		{"a cancelled call", func() error {
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			return tr.Apply(cctx, won("6", 5))
		}},
	} {
		if err := c.err(); err == nil || storeFailed(err) {
			t.Errorf("%s: got %v (marked %t), want an error not marked as the store's", c.what, err, storeFailed(err))
		}
	}
}

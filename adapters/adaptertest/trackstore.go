package adaptertest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// TestTrackStore checks that the stores newStore returns implement
// kpi.TrackStore: batches load back whole and in commit order, a commit is
// all or nothing, ledger keys are unique, stored batches share nothing with
// the caller's (what was committed, nor what Load hands fn), concurrent
// commits are all kept, and a tracker restarted on
// the store continues where the last one stopped. newStore is called once per
// subtest and must return an empty store.
func TestTrackStore(t *testing.T, newStore func() kpi.TrackStore) {
	ctx := context.Background()
	t.Run("empty", func(t *testing.T) {
		if got := loadAll(t, newStore()); len(got) != 0 {
			t.Fatalf("an empty store loaded %d batches", len(got))
		}
	})
	t.Run("round trip in order", func(t *testing.T) {
		s := newStore()
		want := []*kpi.TrackBatch{sampleBatch(0), {Ledger: []kpi.TrackRecord{{Key: "n1", Data: []byte("x")}}}, sampleBatch(1),
			{Closed: []kpi.TrackRecord{{Key: "c1", Data: []byte(`{"a":1}`)}}}}
		for _, b := range want {
			if err := s.Commit(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		got := loadAll(t, s)
		if len(got) != len(want) {
			t.Fatalf("loaded %d batches, want %d", len(got), len(want))
		}
		for i := range want {
			sameBatch(t, i, got[i], want[i])
		}
	})
	t.Run("one tracker at a time", func(t *testing.T) {
		s := newStore()
		l, ok := s.(kpi.TrackLocker)
		if !ok {
			t.Skip("not a kpi.TrackLocker")
		}
		unlock, err := l.Lock(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.Lock(ctx); !errors.Is(err, kpi.ErrStoreInUse) {
			t.Fatalf("second Lock: got %v, want an error matching ErrStoreInUse", err)
		}
		if err := unlock(); err != nil {
			t.Fatal(err)
		}
		unlock, err = l.Lock(ctx)
		if err != nil {
			t.Fatalf("Lock after unlock: %v", err)
		}
		if err := unlock(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("duplicate ledger key", func(t *testing.T) {
		s := newStore()
		if err := s.Commit(ctx, &kpi.TrackBatch{Ledger: []kpi.TrackRecord{{Key: "k"}}}); err != nil {
			t.Fatal(err)
		}
		err := s.Commit(ctx, &kpi.TrackBatch{Events: sampleBatch(2).Events, Ledger: []kpi.TrackRecord{{Key: "new"}, {Key: "k"}}})
		if !errors.Is(err, kpi.ErrDuplicateKey) {
			t.Fatalf("commit of a stored key: got %v, want an error matching ErrDuplicateKey", err)
		}
		err = s.Commit(ctx, &kpi.TrackBatch{Ledger: []kpi.TrackRecord{{Key: "twice"}, {Key: "twice"}}})
		if !errors.Is(err, kpi.ErrDuplicateKey) {
			t.Fatalf("commit of a key twice in one batch: got %v, want an error matching ErrDuplicateKey", err)
		}
		if got := loadAll(t, s); len(got) != 1 {
			t.Fatalf("refused commits left %d batches, want 1", len(got))
		}
		// The refused batch's other key was not stored either.
		if err := s.Commit(ctx, &kpi.TrackBatch{Ledger: []kpi.TrackRecord{{Key: "new"}, {Key: "twice"}}}); err != nil {
			t.Fatalf("keys of refused batches: %v", err)
		}
	})
	t.Run("canceled context", func(t *testing.T) {
		s := newStore()
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.Commit(cctx, sampleBatch(0)); err == nil {
			t.Fatal("commit with a canceled context succeeded")
		}
		if got := loadAll(t, s); len(got) != 0 {
			t.Fatalf("a failed commit left %d batches", len(got))
		}
	})
	t.Run("copies", func(t *testing.T) {
		s := newStore()
		b := sampleBatch(0)
		if err := s.Commit(ctx, b); err != nil {
			t.Fatal(err)
		}
		b.Events[0].Attrs["source"] = "changed"
		b.Events[0].Amount = decimal.NullDecimal{}
		b.Ledger[0].Data[0] = 'Z'
		sameBatch(t, 0, loadAll(t, s)[0], sampleBatch(0))
		// Changing what Load hands out, within fn, changes nothing stored.
		// (loadAll hands fn's copies on, so changing those would show
		// nothing.)
		err := s.Load(ctx, func(b *kpi.TrackBatch) error {
			if len(b.Events) == 0 || b.Events[0].Attrs == nil || len(b.Ledger) == 0 || len(b.Ledger[0].Data) == 0 || len(b.Closed) == 0 || len(b.Closed[0].Data) == 0 {
				return fmt.Errorf("loaded %+v", b)
			}
			b.Events[0].Attrs["source"] = "changed again"
			b.Events[0].Actor = "changed"
			b.Events[0].Amount = decimal.NullDecimal{}
			b.Events[1] = kpi.Event{ID: "changed"}
			b.Ledger[0].Data[0] = 'Y'
			b.Closed[0].Data[0] = 'Y'
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		sameBatch(t, 0, loadAll(t, s)[0], sampleBatch(0))
	})
	t.Run("concurrent commits", func(t *testing.T) {
		s := newStore()
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 25 {
					b := &kpi.TrackBatch{Ledger: []kpi.TrackRecord{{Key: fmt.Sprintf("w%d-%d", w, i)}}}
					if err := s.Commit(ctx, b); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		keys := map[string]int{}
		for _, b := range loadAll(t, s) {
			for _, r := range b.Ledger {
				keys[r.Key]++
			}
		}
		if len(keys) != 100 {
			t.Fatalf("%d keys stored, want 100", len(keys))
		}
		for k, n := range keys {
			if n != 1 {
				t.Fatalf("key %s stored %d times", k, n)
			}
		}
	})
	t.Run("tracker restart", func(t *testing.T) {
		s := newStore()
		cal, err := period.LoadCalendar("Europe/Berlin")
		if err != nil {
			t.Fatal(err)
		}
		set, err := kpi.Compile([]kpi.IndicatorDef{
			{ID: "won", Kinds: []string{"deal.won"}, Aggregate: "count"},
			{ID: "revenue", Kinds: []string{"deal.won"}, Aggregate: "sum", Value: "amount"},
			{ID: "best", Kinds: []string{"deal.won"}, Aggregate: "max", Value: "amount"},
		}, kpi.Env{Attributes: map[string]kpi.AttrType{"source": kpi.AttrString}})
		if err != nil {
			t.Fatal(err)
		}
		req := kpi.Request{Calendar: cal, Periods: []period.Period{cal.Containing(period.Month, date.New(2025, 3, 1))}}
		tr, err := set.Track(ctx, req, s)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if err := tr.Apply(ctx, sampleBatch(i).Events...); err != nil {
				t.Fatal(err)
			}
		}
		if err := tr.Commit(ctx, &kpi.TrackBatch{Ledger: []kpi.TrackRecord{{Key: "sent"}}}); err != nil {
			t.Fatal(err)
		}
		before, err := tr.Result(ctx, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.Close(); err != nil { // a store admits one tracker at a time
			t.Fatal(err)
		}
		again, err := set.Track(ctx, req, s)
		if err != nil {
			t.Fatal(err)
		}
		defer again.Close()
		after, err := again.Result(ctx, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(before.Rows(), after.Rows()) {
			t.Fatalf("after a restart: %v, want %v", after.Rows(), before.Rows())
		}
		kept := false
		again.LedgerRange(func(key string, _ []byte) bool {
			kept = kept || key == "sent"
			return !kept
		})
		if !kept {
			t.Fatal("the restarted tracker lost its ledger")
		}
		if err := again.Commit(ctx, &kpi.TrackBatch{Ledger: []kpi.TrackRecord{{Key: "sent"}}}); !errors.Is(err, kpi.ErrDuplicateKey) {
			t.Fatalf("re-sending after a restart: got %v, want ErrDuplicateKey", err)
		}
	})
}

// sampleBatch returns a batch of event versions: originals, a correction
// that changes kind and time, and a retraction.
func sampleBatch(i int) *kpi.TrackBatch {
	at := time.Date(2025, 3, 3+i, 10, 0, 0, 0, time.UTC)
	known := at.Add(time.Hour)
	id := func(n int) string { return fmt.Sprintf("b%d-%d", i, n) }
	return &kpi.TrackBatch{
		Events: []kpi.Event{
			{ID: id(1), Kind: "deal.won", Time: at, Actor: "u1", Amount: decimal.NewNullDecimal(decimal.RequireFromString("1500.25")),
				Currency: "RUB", Attrs: map[string]any{"source": "web", "pipeline": int64(2)}, Known: known},
			{ID: id(2), Kind: "deal.won", Time: at, Actor: "u2", Amount: decimal.NewNullDecimal(decimal.New(7, 0)), Known: known},
			{ID: id(2), Kind: "deal.lost", Time: at.Add(-48 * time.Hour), Actor: "u2", Known: known.Add(time.Minute)},
			{ID: id(1), Deleted: true, Known: known.Add(2 * time.Minute)},
			{ID: id(1), Kind: "deal.won", Time: at, Actor: "u3", Amount: decimal.NewNullDecimal(decimal.New(100, 0)), Known: known.Add(3 * time.Minute)},
		},
		Ledger: []kpi.TrackRecord{{Key: fmt.Sprintf("sample-%d", i), Data: []byte("payload")}},
		Closed: []kpi.TrackRecord{{Key: fmt.Sprintf("closed-%d", i), Data: []byte("record")}},
	}
}

func loadAll(t *testing.T, s kpi.TrackStore) []*kpi.TrackBatch {
	t.Helper()
	var out []*kpi.TrackBatch
	err := s.Load(context.Background(), func(b *kpi.TrackBatch) error {
		out = append(out, deepCopy(b))
		return nil
	})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return out
}

func deepCopy(b *kpi.TrackBatch) *kpi.TrackBatch {
	c := &kpi.TrackBatch{}
	for i := range b.Events {
		c.Events = append(c.Events, b.Events[i].Clone())
	}
	for _, r := range b.Ledger {
		c.Ledger = append(c.Ledger, kpi.TrackRecord{Key: r.Key, Data: append([]byte(nil), r.Data...)})
	}
	for _, r := range b.Closed {
		c.Closed = append(c.Closed, kpi.TrackRecord{Key: r.Key, Data: append([]byte(nil), r.Data...)})
	}
	return c
}

// sameBatch compares batches: events field by field (instants with Equal,
// amounts with Equal), records by key and bytes.
func sameBatch(t *testing.T, i int, got, want *kpi.TrackBatch) {
	t.Helper()
	if len(got.Events) != len(want.Events) {
		t.Fatalf("batch %d: %d events, want %d", i, len(got.Events), len(want.Events))
	}
	for j := range want.Events {
		g, w := got.Events[j], want.Events[j]
		if g.ID != w.ID || g.Kind != w.Kind || !g.Time.Equal(w.Time) || g.Actor != w.Actor || g.Currency != w.Currency ||
			g.Deleted != w.Deleted || !g.Known.Equal(w.Known) || g.Amount.Valid != w.Amount.Valid ||
			(w.Amount.Valid && !g.Amount.Decimal.Equal(w.Amount.Decimal)) || !reflect.DeepEqual(g.Attrs, w.Attrs) {
			t.Fatalf("batch %d, event %d: got %+v, want %+v", i, j, g, w)
		}
	}
	for _, pair := range [][2][]kpi.TrackRecord{{got.Ledger, want.Ledger}, {got.Closed, want.Closed}} {
		g, w := pair[0], pair[1]
		if len(g) != len(w) {
			t.Fatalf("batch %d: records %v, want %v", i, g, w)
		}
		for j := range w {
			if g[j].Key != w[j].Key || string(g[j].Data) != string(w[j].Data) {
				t.Fatalf("batch %d: record %d: %q %q, want %q %q", i, j, g[j].Key, g[j].Data, w[j].Key, w[j].Data)
			}
		}
	}
}

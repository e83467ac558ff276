package sqlcoretest

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// BenchSnapshot measures the track store of the database open returns:
// SaveSnapshot and LoadSnapshot of a snapshot of GOALKIT_SNAPSHOT_MB
// megabytes, 64 unless set (b.SetBytes: the MB/s column), and a restart's
// reads of batches: LoadAfter of the 5 batches after a snapshot, after
// histories of 1,000 and 10,000 batches of 100 events, and Load of the
// whole longer history, which a restart without a snapshot reads. The
// snapshot's bytes are pseudo-random (they do not compress).
func BenchSnapshot(b *testing.B, open OpenAgain) {
	size := envCount(b, "GOALKIT_SNAPSHOT_MB", 64) * 1e6
	ctx := context.Background()
	s, _ := open(b)
	ts := trackStore(b, s)
	if err := ts.Commit(ctx, &kpi.TrackBatch{Ledger: []kpi.TrackRecord{{Key: "first"}}}); err != nil {
		b.Fatal(err)
	}
	piece := make([]byte, 1<<20)
	_, _ = rand.NewChaCha8([32]byte{1}).Read(piece)
	write := func(w io.Writer) error {
		for left := size; left > 0; {
			k, err := w.Write(piece[:min(left, int64(len(piece)))])
			if err != nil {
				return err
			}
			left -= int64(k)
		}
		return nil
	}
	mb := fmt.Sprintf("%dMB", size/1e6)
	b.Run("save/"+mb, func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			if err := ts.SaveSnapshot(ctx, 1, write); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("load/"+mb, func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			var got int64
			if _, err := ts.LoadSnapshot(ctx, func(n int64, r io.Reader) (err error) {
				got, err = io.Copy(io.Discard, r)
				return err
			}); err != nil {
				b.Fatal(err)
			}
			if got != size {
				b.Fatalf("read %d bytes, want %d", got, size)
			}
		}
	})
	committed := int64(1)
	grow := func(b *testing.B, to int64) {
		at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
		for ; committed < to; committed++ {
			batch := &kpi.TrackBatch{Ledger: []kpi.TrackRecord{{Key: fmt.Sprint("batch-", committed)}}}
			for i := range int64(100) {
				batch.Events = append(batch.Events, kpi.Event{ID: fmt.Sprint("e", (committed*100+i)%50_000), Kind: "deal.won",
					Time: at.Add(time.Duration(committed) * time.Minute), Actor: fmt.Sprint("u", i%20),
					Amount: decimal.NewNullDecimal(decimal.New(committed*100+i, -2)), Currency: "RUB", Known: at})
			}
			if err := ts.Commit(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
	}
	count := func(b *testing.B, load func(func(*kpi.TrackBatch) error) error, want int64) {
		var n int64
		if err := load(func(*kpi.TrackBatch) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		if n != want {
			b.Fatalf("loaded %d batches, want %d", n, want)
		}
	}
	for _, history := range []int64{1_000, 10_000} {
		b.Run(fmt.Sprintf("load_after_5/history=%d", history), func(b *testing.B) {
			grow(b, history)
			// A restart's LoadAfter: the batches after the latest snapshot.
			if err := ts.SaveSnapshot(ctx, history-5, func(io.Writer) error { return nil }); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				count(b, func(fn func(*kpi.TrackBatch) error) error { return ts.LoadAfter(ctx, history-5, fn) }, 5)
			}
		})
	}
	b.Run("load_all/history=10000", func(b *testing.B) {
		grow(b, 10_000)
		for b.Loop() {
			count(b, func(fn func(*kpi.TrackBatch) error) error { return ts.Load(ctx, fn) }, 10_000)
		}
	})
}

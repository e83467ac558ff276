package adaptertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"testing/iotest"

	"github.com/goalkit/goalkit/kpi"
)

// TestTrackSnapshotter checks that the stores open returns implement
// kpi.TrackSnapshotter: without a snapshot LoadSnapshot finds none; a
// snapshot reads back byte for byte (empty, small, and of tens of MiB, past
// any chunking of the store) with the batches it covers; the latest saved
// wins; a failing write func or a cancelled context leaves the previous
// snapshot the latest and the store usable; LoadAfter(n) returns exactly the
// batches after the first n (a refused commit counts for none), and Load
// still returns every batch; snapshots saved while batches are committed
// corrupt neither. open is called once per subtest and must return an empty
// store (it may call t.Skip).
//
// reopen, if the store persists, returns a new value over the same storage
// as s (closing s if it must): the suite checks that the snapshot and the
// batches are still there. A store that keeps nothing past its value passes
// nil, and that case is skipped.
func TestTrackSnapshotter(t *testing.T, open func(t testing.TB) kpi.TrackSnapshotter, reopen func(t testing.TB, s kpi.TrackSnapshotter) kpi.TrackSnapshotter) {
	ctx := context.Background()
	t.Run("no snapshot", func(t *testing.T) {
		s := open(t)
		noSnapshot(t, s)
		commitAll(t, s, sampleBatch(0))
		noSnapshot(t, s)
	})
	t.Run("round trip", func(t *testing.T) {
		s := open(t)
		commitAll(t, s, sampleBatch(0), sampleBatch(1))
		for i, size := range []int{0, 1000, 16 << 20, 20<<20 + 7} {
			n := int64(1 + i%2)
			data := snapshotBytes(uint64(i), size)
			saveSnapshot(t, s, n, data)
			wantSnapshot(t, s, n, data)
		}
	})
	t.Run("latest wins", func(t *testing.T) {
		s := open(t)
		commitAll(t, s, sampleBatch(0), sampleBatch(1), sampleBatch(2))
		saveSnapshot(t, s, 1, []byte("one"))
		saveSnapshot(t, s, 3, []byte("three"))
		saveSnapshot(t, s, 2, []byte("two"))
		// The latest saved, not the one that covers the most batches.
		wantSnapshot(t, s, 2, []byte("two"))
	})
	t.Run("failed write", func(t *testing.T) {
		s := open(t)
		commitAll(t, s, sampleBatch(0))
		old := snapshotBytes(1, 3000)
		saveSnapshot(t, s, 1, old)
		boom := errors.New("the tracker failed to encode its state")
		for _, written := range []int{0, 100, 10 << 20} {
			err := s.SaveSnapshot(ctx, 1, func(w io.Writer) error {
				if err := writePieces(w, snapshotBytes(2, written)); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("a write that failed after %d bytes: SaveSnapshot returned %v, want an error matching the write's", written, err)
			}
			wantSnapshot(t, s, 1, old)
		}
		stillUsable(t, s, 1)
	})
	t.Run("canceled context", func(t *testing.T) {
		s := open(t)
		commitAll(t, s, sampleBatch(0))
		old := snapshotBytes(1, 3000)
		saveSnapshot(t, s, 1, old)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.SaveSnapshot(cctx, 1, func(w io.Writer) error { return writePieces(w, []byte("new")) }); err == nil {
			t.Fatal("SaveSnapshot with a canceled context succeeded")
		}
		wantSnapshot(t, s, 1, old)
		// Canceled while the snapshot is written, past any chunk.
		cctx, cancel = context.WithCancel(ctx)
		defer cancel()
		err := s.SaveSnapshot(cctx, 1, func(w io.Writer) error {
			if err := writePieces(w, snapshotBytes(3, 1<<20)); err != nil {
				return err
			}
			cancel()
			_ = writePieces(w, snapshotBytes(4, 20<<20)) // a writer may fail now, or later
			return nil
		})
		if err == nil {
			t.Fatal("a snapshot whose context was canceled while it was written was saved")
		}
		wantSnapshot(t, s, 1, old)
		stillUsable(t, s, 1)
	})
	t.Run("load after", func(t *testing.T) {
		s := open(t)
		want := []*kpi.TrackBatch{sampleBatch(0), {Ledger: []kpi.TrackRecord{{Key: "n1", Data: []byte("x")}}}, sampleBatch(1),
			{Closed: []kpi.TrackRecord{{Key: "c1", Data: []byte(`{"a":1}`)}}}, sampleBatch(2)}
		commitAll(t, s, want[:2]...)
		// A refused commit is no batch: the count goes on from the last one.
		if err := s.Commit(ctx, &kpi.TrackBatch{Events: sampleBatch(9).Events, Ledger: []kpi.TrackRecord{{Key: "n1"}}}); !errors.Is(err, kpi.ErrDuplicateKey) {
			t.Fatalf("commit of a stored key: got %v, want an error matching ErrDuplicateKey", err)
		}
		commitAll(t, s, want[2:]...)
		for _, n := range []int{0, 1, 2, 3, 5} {
			sameBatches(t, fmt.Sprintf("LoadAfter(%d)", n), loadAfter(t, s, int64(n)), want[n:])
		}
	})
	t.Run("batches after a snapshot", func(t *testing.T) {
		s := open(t)
		want := []*kpi.TrackBatch{sampleBatch(0), sampleBatch(1), sampleBatch(2), sampleBatch(3), sampleBatch(4)}
		commitAll(t, s, want[:3]...)
		data := snapshotBytes(5, 5000)
		saveSnapshot(t, s, 3, data)
		commitAll(t, s, want[3:]...)
		wantSnapshot(t, s, 3, data)
		sameBatches(t, "LoadAfter(3)", loadAfter(t, s, 3), want[3:])
		sameBatches(t, "Load", loadAll(t, s), want)
	})
	t.Run("concurrent snapshots and commits", func(t *testing.T) {
		s := open(t)
		var want []*kpi.TrackBatch
		for i := range 30 {
			want = append(want, &kpi.TrackBatch{Events: sampleBatch(i).Events[:1], Ledger: []kpi.TrackRecord{{Key: fmt.Sprintf("c-%d", i)}}})
		}
		var committed atomic.Int64
		var last struct {
			n    int64
			data []byte
		}
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			for _, b := range want {
				if err := s.Commit(ctx, b); err != nil {
					t.Error(err)
					return
				}
				committed.Add(1)
			}
		}()
		go func() {
			defer wg.Done()
			for i := range 10 {
				n := committed.Load()
				data := snapshotBytes(uint64(100+i), 256<<10+i)
				if err := s.SaveSnapshot(ctx, n, func(w io.Writer) error { return writePieces(w, data) }); err != nil {
					t.Error(err)
					return
				}
				last.n, last.data = n, data
			}
		}()
		wg.Wait()
		if t.Failed() {
			return
		}
		sameBatches(t, "Load", loadAll(t, s), want)
		wantSnapshot(t, s, last.n, last.data)
		sameBatches(t, fmt.Sprintf("LoadAfter(%d)", last.n), loadAfter(t, s, last.n), want[last.n:])
	})
	t.Run("reopened store", func(t *testing.T) {
		if reopen == nil {
			t.Skip("the store keeps nothing past its value")
		}
		s := open(t)
		want := []*kpi.TrackBatch{sampleBatch(0), sampleBatch(1), sampleBatch(2)}
		commitAll(t, s, want[:2]...)
		data := snapshotBytes(6, 9<<20+1)
		saveSnapshot(t, s, 2, data)
		commitAll(t, s, want[2:]...)
		s = reopen(t, s)
		wantSnapshot(t, s, 2, data)
		sameBatches(t, "LoadAfter(2)", loadAfter(t, s, 2), want[2:])
		sameBatches(t, "Load", loadAll(t, s), want)
	})
}

// snapshotBytes returns size bytes that look like no other call's (seed).
func snapshotBytes(seed uint64, size int) []byte {
	var key [32]byte
	key[0], key[1] = byte(seed), byte(seed>>8)
	b := make([]byte, size)
	_, _ = rand.NewChaCha8(key).Read(b)
	return b
}

// writePieces writes data in writes of uneven sizes, from one byte to more
// than a MiB.
func writePieces(w io.Writer, data []byte) error {
	sizes := []int{1, 7, 4096, 1<<20 + 3, 65535}
	for i := 0; len(data) > 0; i++ {
		k := min(sizes[i%len(sizes)], len(data))
		n, err := w.Write(data[:k])
		if err != nil {
			return err
		}
		if n != k {
			return fmt.Errorf("wrote %d bytes of %d without an error", n, k)
		}
		data = data[k:]
	}
	return nil
}

func commitAll(t *testing.T, s kpi.TrackStore, bs ...*kpi.TrackBatch) {
	t.Helper()
	for _, b := range bs {
		if err := s.Commit(context.Background(), b); err != nil {
			t.Fatalf("commit: %v", err)
		}
	}
}

func saveSnapshot(t *testing.T, s kpi.TrackSnapshotter, n int64, data []byte) {
	t.Helper()
	if err := s.SaveSnapshot(context.Background(), n, func(w io.Writer) error { return writePieces(w, data) }); err != nil {
		t.Fatalf("SaveSnapshot(%d, %d bytes): %v", n, len(data), err)
	}
}

func noSnapshot(t *testing.T, s kpi.TrackSnapshotter) {
	t.Helper()
	found, err := s.LoadSnapshot(context.Background(), func(int64, io.Reader) error {
		t.Error("read was called for a store without a snapshot")
		return nil
	})
	if err != nil || found {
		t.Fatalf("a store without a snapshot: LoadSnapshot gave found %v, err %v; want false, nil", found, err)
	}
}

// wantSnapshot checks that the latest snapshot covers n batches and holds
// data: read in pieces of every size for small ones, read whole for large.
func wantSnapshot(t *testing.T, s kpi.TrackSnapshotter, n int64, data []byte) {
	t.Helper()
	var calls int
	found, err := s.LoadSnapshot(context.Background(), func(got int64, r io.Reader) error {
		calls++
		if got != n {
			return fmt.Errorf("the snapshot covers %d batches, want %d", got, n)
		}
		if len(data) <= 1<<16 {
			return iotest.TestReader(r, data)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		if !bytes.Equal(b, data) {
			return fmt.Errorf("read %d bytes that differ from the %d saved (first at %d)", len(b), len(data), firstDiff(b, data))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("LoadSnapshot: %v", err)
	}
	if !found || calls != 1 {
		t.Fatalf("LoadSnapshot: found %v, read called %d times; want true, once", found, calls)
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// stillUsable checks that the store takes a batch and a snapshot after
// committed batches, and gives both back.
func stillUsable(t *testing.T, s kpi.TrackSnapshotter, committed int) {
	t.Helper()
	b := &kpi.TrackBatch{Ledger: []kpi.TrackRecord{{Key: "after a failure", Data: []byte("ok")}}}
	commitAll(t, s, b)
	data := snapshotBytes(9, 2000)
	saveSnapshot(t, s, int64(committed+1), data)
	wantSnapshot(t, s, int64(committed+1), data)
	if got := loadAll(t, s); len(got) != committed+1 {
		t.Fatalf("Load after a failed snapshot: %d batches, want %d", len(got), committed+1)
	}
	sameBatches(t, fmt.Sprintf("LoadAfter(%d)", committed), loadAfter(t, s, int64(committed)), []*kpi.TrackBatch{b})
}

func loadAfter(t *testing.T, s kpi.TrackSnapshotter, n int64) []*kpi.TrackBatch {
	t.Helper()
	var out []*kpi.TrackBatch
	err := s.LoadAfter(context.Background(), n, func(b *kpi.TrackBatch) error {
		out = append(out, deepCopy(b))
		return nil
	})
	if err != nil {
		t.Fatalf("LoadAfter(%d): %v", n, err)
	}
	return out
}

func sameBatches(t *testing.T, what string, got, want []*kpi.TrackBatch) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d batches, want %d", what, len(got), len(want))
	}
	for i := range want {
		sameBatch(t, i, got[i], want[i])
	}
}

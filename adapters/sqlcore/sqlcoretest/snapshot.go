package sqlcoretest

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/kpi"
)

// OpenAgain returns an empty store for one test, and a func that opens the
// same database again, as a new process would.
type OpenAgain func(t testing.TB) (s *sqlcore.Store, again func() *sqlcore.Store)

func trackStore(t testing.TB, s *sqlcore.Store) *sqlcore.TrackStore {
	t.Helper()
	ts, err := s.TrackStore()
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// TestSnapshots runs the snapshot tests of an adapter on the stores open
// returns: TestTrackSnapshotter, TestSnapshotStore and TestTrackerRestart,
// each a subtest of that name.
func TestSnapshots(t *testing.T, open OpenAgain) {
	t.Run("TrackSnapshotter", func(t *testing.T) { TestTrackSnapshotter(t, open) })
	t.Run("SnapshotStore", func(t *testing.T) { TestSnapshotStore(t, open) })
	t.Run("TrackerRestart", func(t *testing.T) { TestTrackerRestart(t, open) })
}

// TestTrackSnapshotter runs adaptertest.TestTrackSnapshotter on the track
// stores of the databases open returns, reopened through a new connection.
func TestTrackSnapshotter(t *testing.T, open OpenAgain) {
	again := map[kpi.TrackSnapshotter]func() *sqlcore.Store{}
	adaptertest.TestTrackSnapshotter(t, func(t testing.TB) kpi.TrackSnapshotter {
		s, a := open(t)
		ts := trackStore(t, s)
		again[ts] = a
		return ts
	}, func(t testing.TB, s kpi.TrackSnapshotter) kpi.TrackSnapshotter {
		return trackStore(t, again[s]())
	})
}

// TestSnapshotStore checks what the SQL stores add to the
// kpi.TrackSnapshotter contract: a database of an earlier schema, without
// the snapshot tables, is migrated and keeps its batches; a snapshot of more
// batches than were committed, and LoadAfter past them, are refused with a
// message that says so; a snapshot saved removes the previous one, chunks
// and all, and a failed one leaves nothing; Prune deletes the events of the
// covered batches only, Load then starts after them and an n below them is
// refused, their ledger keys still count; a snapshot beside another
// tracker's lease, or after the lease was lost, is refused; LoadAfter reads nothing of the covered batches (they
// are made unreadable, and it still succeeds).
func TestSnapshotStore(t *testing.T, open OpenAgain) {
	ctx := context.Background()
	batch := func(key string) *kpi.TrackBatch {
		return &kpi.TrackBatch{Ledger: []kpi.TrackRecord{{Key: key, Data: []byte(key)}},
			Events: []kpi.Event{{ID: key, Kind: "deal.won", Time: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC), Actor: "u1", Attrs: map[string]any{"source": key}}}}
	}
	t.Run("database of an earlier schema", func(t *testing.T) {
		s, again := open(t)
		ts := trackStore(t, s)
		for _, k := range []string{"a", "b"} {
			if err := ts.Commit(ctx, batch(k)); err != nil {
				t.Fatal(err)
			}
		}
		// The schema as migration 4 left it.
		for _, q := range []string{
			`DROP TABLE goalkit_track_snapshot_chunks`,
			`DROP TABLE goalkit_track_snapshots`,
			`DROP TABLE goalkit_track_pruned`,
			`DROP INDEX IF EXISTS goalkit_events_nonint`,
			`DROP INDEX IF EXISTS goalkit_events_text`,
			`DROP INDEX IF EXISTS goalkit_events_ctrl`,
			`DROP INDEX IF EXISTS goalkit_events_valid`,
			`DELETE FROM goalkit_schema WHERE version >= 5`,
		} {
			if _, err := s.DB().ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		ts = trackStore(t, again())
		if found, err := ts.LoadSnapshot(ctx, func(int64, io.Reader) error { return nil }); found || err != nil {
			t.Fatalf("a migrated database: LoadSnapshot gave %v, %v; want false, nil", found, err)
		}
		if got := keys(t, ts.Load); got != "a b" {
			t.Fatalf("a migrated database loaded %q, want a b", got)
		}
		if err := ts.SaveSnapshot(ctx, 1, func(w io.Writer) error { _, err := w.Write([]byte("x")); return err }); err != nil {
			t.Fatal(err)
		}
		if got := keys(t, func(ctx context.Context, fn func(*kpi.TrackBatch) error) error { return ts.LoadAfter(ctx, 1, fn) }); got != "b" {
			t.Fatalf("LoadAfter(1) in a migrated database: %q, want b", got)
		}
	})
	t.Run("more batches than committed", func(t *testing.T) {
		s, _ := open(t)
		ts := trackStore(t, s)
		if err := ts.Commit(ctx, batch("a")); err != nil {
			t.Fatal(err)
		}
		write := func(w io.Writer) error { _, err := w.Write([]byte("x")); return err }
		for _, tc := range []struct {
			err  error
			want string
		}{
			{ts.SaveSnapshot(ctx, 2, write), "sqlcore: save snapshot: 2 batches, but the store holds 1"},
			{ts.SaveSnapshot(ctx, -1, write), "sqlcore: save snapshot: -1 batches"},
			{ts.LoadAfter(ctx, 3, func(*kpi.TrackBatch) error { return nil }), "sqlcore: load after: 3 batches, but the store holds 1"},
			{ts.LoadAfter(ctx, -1, func(*kpi.TrackBatch) error { return nil }), "sqlcore: load after: -1 batches"},
		} {
			if tc.err == nil || tc.err.Error() != tc.want {
				t.Errorf("got %v, want %s", tc.err, tc.want)
			}
		}
		if found, err := ts.LoadSnapshot(ctx, func(int64, io.Reader) error { return nil }); found || err != nil {
			t.Fatalf("after refused snapshots: LoadSnapshot gave %v, %v; want false, nil", found, err)
		}
	})
	t.Run("previous snapshots removed", func(t *testing.T) {
		s, _ := open(t)
		ts := trackStore(t, s)
		count := func(table string) int {
			var n int
			if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for i := range 3 {
			// Two chunks and a byte each, the last a failed one.
			err := ts.SaveSnapshot(ctx, 0, func(w io.Writer) error {
				if _, err := w.Write(make([]byte, 2*sqlcore.SnapshotChunk+1)); err != nil {
					return err
				}
				if i == 2 {
					return errors.New("failed")
				}
				return nil
			})
			if (err != nil) != (i == 2) {
				t.Fatalf("snapshot %d: %v", i, err)
			}
			if s, c := count("goalkit_track_snapshots"), count("goalkit_track_snapshot_chunks"); s != 1 || c != 3 {
				t.Fatalf("after snapshot %d: %d snapshots in %d chunks stored, want 1 in 3", i, s, c)
			}
		}
	})
	t.Run("a lease held elsewhere", func(t *testing.T) {
		s, _ := open(t)
		holder, other := trackStore(t, s), trackStore(t, s)
		unlock, err := holder.Lock(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer unlock()
		write := func(w io.Writer) error { _, err := w.Write([]byte("x")); return err }
		if err := other.SaveSnapshot(ctx, 0, write); !errors.Is(err, kpi.ErrStoreInUse) ||
			!strings.HasPrefix(err.Error(), "sqlcore: save snapshot: store is in use by another tracker (since ") {
			t.Fatalf("a snapshot beside the lease's holder: %v", err)
		}
		if err := holder.SaveSnapshot(ctx, 0, write); err != nil {
			t.Fatal(err)
		}
		// The lease lost (expired and taken over, say): the holder fails.
		if _, err := s.DB().ExecContext(ctx, `DELETE FROM goalkit_track_lease`); err != nil {
			t.Fatal(err)
		}
		if err := holder.SaveSnapshot(ctx, 0, write); err == nil || err.Error() != "sqlcore: save snapshot: the tracker's lease on the store was lost" {
			t.Fatalf("a snapshot after the lease was lost: %v", err)
		}
	})
	t.Run("prune", func(t *testing.T) {
		s, again := open(t)
		ts := trackStore(t, s)
		if n, err := ts.Prune(ctx); n != 0 || err != nil {
			t.Fatalf("Prune without a snapshot: %d, %v", n, err)
		}
		for _, k := range []string{"a", "b", "c", "d", "e"} {
			if err := ts.Commit(ctx, batch(k)); err != nil {
				t.Fatal(err)
			}
		}
		write := func(w io.Writer) error { _, err := w.Write([]byte("state")); return err }
		if err := ts.SaveSnapshot(ctx, 3, write); err != nil {
			t.Fatal(err)
		}
		if n, err := ts.Prune(ctx); n != 3 || err != nil {
			t.Fatalf("Prune: %d, %v; want 3, nil", n, err)
		}
		if n, err := ts.Prune(ctx); n != 0 || err != nil {
			t.Fatalf("Prune again: %d, %v; want 0, nil", n, err)
		}
		var events int
		if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM goalkit_track_events`).Scan(&events); err != nil || events != 2 {
			t.Fatalf("%d events stored after the prune (%v), want 2", events, err)
		}
		ts = trackStore(t, again())
		if got := keys(t, ts.Load); got != "d e" {
			t.Fatalf("Load after the prune: %q, want d e", got)
		}
		for n, want := range map[int64]string{3: "d e", 4: "e", 5: ""} {
			if got := keys(t, func(ctx context.Context, fn func(*kpi.TrackBatch) error) error { return ts.LoadAfter(ctx, n, fn) }); got != want {
				t.Fatalf("LoadAfter(%d) after the prune: %q, want %q", n, got, want)
			}
		}
		for _, err := range []error{
			ts.LoadAfter(ctx, 2, func(*kpi.TrackBatch) error { return nil }),
			ts.SaveSnapshot(ctx, 2, write),
		} {
			if err == nil || !strings.HasSuffix(err.Error(), ": 2 batches, but the first 3 were pruned (their events are only in the snapshot)") {
				t.Fatalf("n below the pruned batches: %v", err)
			}
		}
		if err := ts.Commit(ctx, batch("b")); !errors.Is(err, kpi.ErrDuplicateKey) {
			t.Fatalf("a key of a pruned batch: %v, want ErrDuplicateKey", err)
		}
		// A later snapshot prunes on from where the last prune stopped.
		if err := ts.SaveSnapshot(ctx, 5, write); err != nil {
			t.Fatal(err)
		}
		if n, err := ts.Prune(ctx); n != 2 || err != nil {
			t.Fatalf("Prune after a later snapshot: %d, %v; want 2, nil", n, err)
		}
		if got := keys(t, ts.Load); got != "" {
			t.Fatalf("Load after pruning all: %q", got)
		}
	})
	t.Run("load after reads no covered batch", func(t *testing.T) {
		s, _ := open(t)
		ts := trackStore(t, s)
		for _, k := range []string{"a", "b", "c", "d"} {
			if err := ts.Commit(ctx, batch(k)); err != nil {
				t.Fatal(err)
			}
		}
		if err := ts.SaveSnapshot(ctx, 2, func(w io.Writer) error { return nil }); err != nil {
			t.Fatal(err)
		}
		// The covered batches' attributes no longer decode: reading them fails.
		if _, err := s.DB().ExecContext(ctx, `UPDATE goalkit_track_events SET attrs = 'not json' WHERE id IN ('a', 'b')`); err != nil {
			t.Fatal(err)
		}
		if err := ts.Load(ctx, func(*kpi.TrackBatch) error { return nil }); err == nil || !strings.Contains(err.Error(), `sqlcore: load: event "a": attrs:`) {
			t.Fatalf("Load of unreadable batches: %v", err)
		}
		for _, n := range []int64{2, 3} { // through the snapshot's row, and through the batches
			got := keys(t, func(ctx context.Context, fn func(*kpi.TrackBatch) error) error { return ts.LoadAfter(ctx, n, fn) })
			if want := "c d"[2*(n-2):]; got != want {
				t.Fatalf("LoadAfter(%d): %q, want %q", n, got, want)
			}
		}
		stop := errors.New("stop")
		if err := ts.LoadAfter(ctx, 2, func(*kpi.TrackBatch) error { return stop }); !errors.Is(err, stop) {
			t.Fatalf("LoadAfter returned %v, want fn's error", err)
		}
	})
}

// keys loads batches with load and returns their ledger keys.
func keys(t *testing.T, load func(context.Context, func(*kpi.TrackBatch) error) error) string {
	t.Helper()
	var ks []string
	err := load(context.Background(), func(b *kpi.TrackBatch) error {
		for _, r := range b.Ledger {
			ks = append(ks, r.Key)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(ks, " ")
}

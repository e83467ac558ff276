package serve

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
)

// snapshotOnly is a store whose batches before its snapshot cannot be
// read: a tracker started on it restores the snapshot or fails.
type snapshotOnly struct{ *memory.TrackStore }

func (snapshotOnly) Load(context.Context, func(*kpi.TrackBatch) error) error {
	return errors.New("every batch read: the snapshot was not used")
}

// snapshotCovers returns the number of batches the store's snapshot covers
// (0: none).
func snapshotCovers(t *testing.T, s *memory.TrackStore) int64 {
	t.Helper()
	var n int64
	found, err := s.LoadSnapshot(context.Background(), func(covers int64, r io.Reader) error {
		n = covers
		_, err := io.Copy(io.Discard, r)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !found {
		return 0
	}
	return n
}

// With SnapshotEvery, Run writes snapshots while batches come in, and a
// tracker restarted on the store from its snapshot alone reports what the
// running one reports.
func TestRunWritesSnapshots(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.SnapshotEvery = 5 * time.Millisecond })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.srv.Run(ctx) }()
	f.post(deal("d1", "n1", "100", day(3, 10)), deal("d2", "n2", "200", day(3, 11)))
	f.post(deal("d1", "n1", "150", day(3, 10)))
	deadline := time.Now().Add(10 * time.Second)
	for snapshotCovers(t, f.store) < int64(f.store.Len()) {
		if time.Now().After(deadline) {
			t.Fatalf("no snapshot of the %d batches after 10 s; logs:\n%s", f.store.Len(), f.logs)
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v", err)
	}
	sameAfterRestart(t, f)
}

// ListenAndServe writes a last snapshot at shutdown, of batches that came
// in after the last periodic one.
func TestShutdownWritesSnapshot(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.SnapshotEvery = time.Hour })
	_, cancel, done := f.listen(t)
	f.post(deal("d1", "n1", "100", day(3, 10)))
	f.post(deal("d3", "n1", "300", day(3, 12)))
	if n := snapshotCovers(t, f.store); n != 0 {
		t.Fatalf("a snapshot of %d batches before the first hour", n)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("ListenAndServe: %v", err)
	}
	if n, want := snapshotCovers(t, f.store), int64(f.store.Len()); n != want {
		t.Fatalf("the shutdown's snapshot covers %d batches, want all %d", n, want)
	}
	sameAfterRestart(t, f)
}

// sameAfterRestart closes the fixture's tracker, starts one on its store
// from the snapshot alone, and compares their reports.
func sameAfterRestart(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	want := reportJSON(t, f)
	if err := f.tr.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := f.plan.Track(ctx, snapshotOnly{f.store}, f.srv.cfg.Options...)
	if err != nil {
		t.Fatalf("restart from the snapshot: %v", err)
	}
	defer again.Close()
	f.tr = again
	if got := reportJSON(t, f); !bytes.Equal(got, want) {
		t.Fatalf("after the restart:\n%s\nbefore:\n%s", got, want)
	}
}

// reportJSON is the JSON of the fixture's tracker's report at testNow.
func reportJSON(t *testing.T, f *fixture) []byte {
	t.Helper()
	rep, err := f.tr.Report(context.Background(), testNow)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := rep.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A tick that closes goals without a notification to emit commits their
// records in a batch of its own: the next periodic snapshot covers it, so
// that a restart does not replay it. The snapshot skipped it (no change
// for the streams) and covered the batches before it only. A tick that
// only moves the ticks' instant on asks for none.
func TestSnapshotCoversTickThatClosesGoals(t *testing.T) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(t, enginetest.ClosingPlan)
	now := time.Date(2025, 3, 31, 12, 0, 0, 0, time.UTC)
	f := planFixture(t, plan, nil, func(c *Config) {
		c.Now = func() time.Time { return now }
		c.SnapshotEvery = time.Hour // snapshots on; the test takes them
	})
	srv := f.srv
	srv.tick(ctx) // March is open: the tick keeps its instant only
	srv.snapshot(ctx)
	covered := snapshotCovers(t, f.store)
	if covered != int64(f.store.Len()) || covered == 0 {
		t.Fatalf("the first snapshot covers %d of %d batches", covered, f.store.Len())
	}
	now = now.Add(time.Hour)
	srv.tick(ctx) // still March: one more batch (the instant), no record
	if int64(f.store.Len()) != covered+1 {
		t.Fatalf("%d batches after a tick in March, want %d", f.store.Len(), covered+1)
	}
	srv.snapshot(ctx)
	if n := snapshotCovers(t, f.store); n != covered {
		t.Errorf("a tick that closed nothing was snapshotted: %d batches covered, want %d", n, covered)
	}
	before := f.srv.changes.current()
	now = time.Date(2025, 4, 2, 12, 0, 0, 0, time.UTC)
	srv.tick(ctx) // closes March, no notification
	if len(f.tr.Indicators().Closed()) < 2 {
		t.Fatal("the tick on 2 April closed no goal")
	}
	if got := f.srv.changes.current(); got != before {
		t.Fatalf("the tick that closed March woke the streams (%d changes, %d before)", got, before)
	}
	srv.snapshot(ctx)
	if n, want := snapshotCovers(t, f.store), int64(f.store.Len()); n != want {
		t.Errorf("after the tick that closed March, the snapshot covers %d of %d batches", n, want)
	}
	sameAfterRestart(t, f)
}

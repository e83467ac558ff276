package kpi_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
)

// workloadStore is a TrackSnapshotter in memory over a drawn workload, for
// the restart benchmark: every version is a batch of its own, handed over
// as fast as the workload buffer turns versions back into events, so that
// a replay costs the tracker's work and no store's; snapshots are kept as
// bytes.
type workloadStore struct {
	buf    *goalkittest.WorkloadBuffer
	snap   []byte
	covers int64
	has    bool
}

func (s *workloadStore) Commit(context.Context, *kpi.TrackBatch) error {
	return errors.New("the workload store is read-only")
}

func (s *workloadStore) Load(ctx context.Context, fn func(*kpi.TrackBatch) error) error {
	return s.LoadAfter(ctx, 0, fn)
}

func (s *workloadStore) LoadAfter(ctx context.Context, n int64, fn func(*kpi.TrackBatch) error) error {
	if n >= int64(s.buf.Len()) {
		return nil
	}
	var i int64
	var one [1]kpi.Event
	return s.buf.Replay(func(e *kpi.Event) error {
		if i++; i <= n {
			return nil
		}
		one[0] = *e
		return fn(&kpi.TrackBatch{Events: one[:]})
	})
}

func (s *workloadStore) SaveSnapshot(ctx context.Context, n int64, write func(io.Writer) error) error {
	b := bytes.NewBuffer(make([]byte, 0, len(s.snap)))
	if err := write(b); err != nil {
		return err
	}
	s.snap, s.covers, s.has = b.Bytes(), n, true
	return nil
}

func (s *workloadStore) LoadSnapshot(ctx context.Context, read func(int64, io.Reader) error) (bool, error) {
	if !s.has {
		return false, nil
	}
	return true, read(s.covers, bytes.NewReader(s.snap))
}

// BenchmarkTrackerRestart restarts a tracker of the standard workload (1
// million events, or GOALKIT_RESTART_N; 5 % corrected later, 2 %
// retracted) by a replay of every batch against a restore of its snapshot,
// and times writing the snapshot and the part of it that holds Apply up.
// The store is in memory (workloadStore): the times are the tracker's.
func BenchmarkTrackerRestart(b *testing.B) {
	ctx := context.Background()
	n := 1_000_000
	if s := os.Getenv("GOALKIT_RESTART_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatalf("GOALKIT_RESTART_N: %v", err)
		}
	}
	set, req := workloadTracking(b)
	buf, err := goalkittest.Workload{N: n, CorrectedPerMille: 50, RetractedPerMille: 20}.Draw()
	if err != nil {
		b.Fatal(err)
	}
	store := &workloadStore{buf: buf}
	tr, err := set.Track(ctx, req, store)
	if err != nil {
		b.Fatal(err)
	}
	if err := tr.Snapshot(ctx); err != nil {
		b.Fatal(err)
	}
	want, err := tr.Result(ctx, time.Time{})
	if err != nil {
		b.Fatal(err)
	}
	restart := func(b *testing.B, store kpi.TrackStore) {
		var got *kpi.Tracker
		for b.Loop() {
			got = nil
			if got, err = set.Track(ctx, req, store); err != nil {
				b.Fatal(err)
			}
		}
		res, err := got.Result(ctx, time.Time{})
		if err != nil {
			b.Fatal(err)
		}
		sameResult(b, "restarted", res, want)
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/restart")
	}
	b.Run("replay", func(b *testing.B) { restart(b, kpi.LoadOnly{TrackStore: store}) })
	b.Run("snapshot", func(b *testing.B) { restart(b, store) })
	b.Run("write", func(b *testing.B) {
		for b.Loop() {
			if err := tr.Snapshot(ctx); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(store.snap))/float64(n), "bytes/event")
		b.ReportMetric(float64(len(store.snap))/float64(buf.Len()), "bytes/version")
	})
	b.Run("hold", func(b *testing.B) {
		for b.Loop() {
			if err := tr.Freeze(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

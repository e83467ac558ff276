package kpi_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// workloadStore is a TrackSnapshotter in memory over a drawn workload, for
// the restart benchmark: every version is a batch of its own, handed over
// as fast as the workload buffer turns versions back into events, so that
// a replay costs the tracker's work and no store's; batches committed
// later are kept after them, and snapshots as bytes.
type workloadStore struct {
	buf    *goalkittest.WorkloadBuffer
	later  []kpi.TrackBatch
	snap   []byte
	covers int64
	has    bool
}

func (s *workloadStore) Commit(_ context.Context, b *kpi.TrackBatch) error {
	c := kpi.TrackBatch{Ledger: b.Ledger, Closed: b.Closed}
	for i := range b.Events {
		c.Events = append(c.Events, b.Events[i].Clone())
	}
	s.later = append(s.later, c)
	return nil
}

func (s *workloadStore) Load(ctx context.Context, fn func(*kpi.TrackBatch) error) error {
	return s.LoadAfter(ctx, 0, fn)
}

func (s *workloadStore) LoadAfter(ctx context.Context, n int64, fn func(*kpi.TrackBatch) error) error {
	if n < int64(s.buf.Len()) {
		var i int64
		var one [1]kpi.Event
		err := s.buf.Replay(func(e *kpi.Event) error {
			if i++; i <= n {
				return nil
			}
			one[0] = *e
			return fn(&kpi.TrackBatch{Events: one[:]})
		})
		if err != nil {
			return err
		}
	}
	for i := max(0, n-int64(s.buf.Len())); i < int64(len(s.later)); i++ {
		if err := fn(&s.later[i]); err != nil {
			return err
		}
	}
	return nil
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
// million events, or GOALKIT_TRACK_N; 5 % corrected later, 2 %
// retracted) by a replay of every batch against a restore of its snapshot,
// and times writing the snapshot and the part of it that holds Apply up.
// The store is in memory (workloadStore): the times are the tracker's.
func BenchmarkTrackerRestart(b *testing.B) {
	ctx := context.Background()
	n, set, req, buf := drawWorkload(b)
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
			tr.ForgetSnapshot()
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

// BenchmarkTrackerReadAfterApply reads every value of a tracker of the
// standard workload (1 million events, or GOALKIT_TRACK_N) after each
// Apply of one correction (a deal won, of another actor and amount); ms/read
// is the read alone.
func BenchmarkTrackerReadAfterApply(b *testing.B) {
	ctx := context.Background()
	n, set, req, buf := drawWorkload(b)
	tr, err := set.Track(ctx, req, &workloadStore{buf: buf})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := tr.Result(ctx, time.Time{}); err != nil {
		b.Fatal(err)
	}
	i := 0
	var reading time.Duration
	for b.Loop() {
		i++
		e := kpi.Event{ID: strconv.Itoa(1 + i*7919%n), Kind: "deal_won", Time: time.Date(2025, 6, 1+i%28, 12, 0, 0, 0, time.UTC),
			Actor: strconv.Itoa(1 + i%2000), Amount: decimal.NewNullDecimal(decimal.New(int64(100+i), 0)), Attrs: map[string]any{"source": "web"}}
		if err := tr.Apply(ctx, e); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if _, err := tr.Result(ctx, time.Time{}); err != nil {
			b.Fatal(err)
		}
		reading += time.Since(start)
	}
	b.ReportMetric(float64(reading.Microseconds())/1000/float64(b.N), "ms/read")
}

// trackN is the number of events of the tracker benchmarks: GOALKIT_TRACK_N,
// 1 million by default.
func trackN(b *testing.B) int {
	s := os.Getenv("GOALKIT_TRACK_N")
	if s == "" {
		return 1_000_000
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		b.Fatalf("GOALKIT_TRACK_N=%q: want a number of events", s)
	}
	return n
}

// drawWorkload is the tracking of the standard workload's plan and the
// workload to track: trackN events, 5 % corrected later, 2 % retracted.
func drawWorkload(b *testing.B) (int, *kpi.Set, kpi.Request, *goalkittest.WorkloadBuffer) {
	n := trackN(b)
	set, req := workloadTracking(b)
	buf, err := goalkittest.Workload{N: n, CorrectedPerMille: 50, RetractedPerMille: 20}.Draw()
	if err != nil {
		b.Fatal(err)
	}
	return n, set, req, buf
}

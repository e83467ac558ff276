package adaptertest_test

import (
	"bytes"
	"context"
	"io"
	"sync"
	"testing"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// The ways a snapshotter can break the contract, each a flaw of
// snapshotter that TestTrackSnapshotter must catch.
const (
	keepsFirstSnapshot  = "keeps_the_first_snapshot"
	truncatesLarge      = "keeps_only_16_MiB"
	keepsFailedSnapshot = "keeps_a_failed_snapshot"
	ignoresCancel       = "saves_after_the_context_is_canceled"
	loadsOneBatchEarly  = "loads_after_one_batch_too_few"
	dropsClosedAfter    = "loads_after_without_closed_records"
	countsRefused       = "counts_refused_commits"
	forgetsOnReopen     = "forgets_snapshots_on_reopen"
	findsNothing        = "finds_a_snapshot_in_an_empty_store"
)

var snapshotFlaws = []string{keepsFirstSnapshot, truncatesLarge, keepsFailedSnapshot, ignoresCancel, loadsOneBatchEarly,
	dropsClosedAfter, countsRefused, forgetsOnReopen, findsNothing}

// shelf is what a snapshotter keeps past its value: the reopened
// snapshotter finds it.
type shelf struct {
	mu      sync.Mutex
	batches *memory.TrackStore
	refused int64
	has     bool
	n       int64
	data    []byte
}

// snapshotter is a kpi.TrackSnapshotter over a memory TrackStore, with a
// flaw or none.
type snapshotter struct {
	*shelf
	flaw string
}

func newSnapshotter(flaw string) *snapshotter {
	return &snapshotter{shelf: &shelf{batches: memory.NewTrackStore()}, flaw: flaw}
}

func (s *snapshotter) Commit(ctx context.Context, b *kpi.TrackBatch) error {
	err := s.batches.Commit(ctx, b)
	if err != nil && s.flaw == countsRefused {
		s.mu.Lock()
		s.refused++
		s.mu.Unlock()
	}
	return err
}

func (s *snapshotter) Load(ctx context.Context, fn func(b *kpi.TrackBatch) error) error {
	return s.batches.Load(ctx, fn)
}

func (s *snapshotter) SaveSnapshot(ctx context.Context, n int64, write func(w io.Writer) error) error {
	if s.flaw != ignoresCancel {
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	err := write(&buf)
	if err == nil && s.flaw != ignoresCancel {
		err = ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if (err != nil && s.flaw != keepsFailedSnapshot) || (s.has && s.flaw == keepsFirstSnapshot) {
		return err
	}
	s.has, s.n, s.data = true, n, buf.Bytes()
	if s.flaw == truncatesLarge && len(s.data) > 16<<20 {
		s.data = s.data[:16<<20]
	}
	return err
}

func (s *snapshotter) LoadSnapshot(ctx context.Context, read func(n int64, r io.Reader) error) (bool, error) {
	s.mu.Lock()
	has, n, data := s.has, s.n, s.data
	s.mu.Unlock()
	if !has && s.flaw == findsNothing {
		has = true
	}
	if !has {
		return false, nil
	}
	return true, read(n, bytes.NewReader(data))
}

func (s *snapshotter) LoadAfter(ctx context.Context, n int64, fn func(b *kpi.TrackBatch) error) error {
	s.mu.Lock()
	n -= s.refused
	s.mu.Unlock()
	if s.flaw == loadsOneBatchEarly && n > 0 {
		n--
	}
	var i int64
	return s.batches.Load(ctx, func(b *kpi.TrackBatch) error {
		i++
		if i <= n {
			return nil
		}
		if s.flaw == dropsClosedAfter {
			b.Closed = nil
		}
		return fn(b)
	})
}

func snapshotSuite(t *testing.T, flaw string) {
	adaptertest.TestTrackSnapshotter(t, func(testing.TB) kpi.TrackSnapshotter { return newSnapshotter(flaw) },
		func(_ testing.TB, s kpi.TrackSnapshotter) kpi.TrackSnapshotter {
			old := s.(*snapshotter)
			if flaw == forgetsOnReopen {
				return &snapshotter{shelf: &shelf{batches: old.batches}, flaw: flaw}
			}
			return &snapshotter{shelf: old.shelf, flaw: flaw}
		})
}

// TestSnapshotter runs the suite on a snapshotter without flaws: it passes.
func TestSnapshotter(t *testing.T) { snapshotSuite(t, "") }

package scaleouttest

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
)

// PruningStores keeps each partition's store across workers, as Stores
// does, in stores that keep snapshots and prune (scaleout.Pruner): a
// pruned store no longer loads the batches its latest snapshot covers, so
// that a worker restarted on it has them from the snapshot only. Its Open
// is a scaleout.Worker's Store.
type PruningStores struct {
	mu sync.Mutex
	m  map[int]*PruningStore
}

// Open returns the store of partition p, empty the first time.
func (s *PruningStores) Open(_ context.Context, p int) (kpi.TrackStore, error) {
	return s.Store(p), nil
}

// Store returns the store of partition p, empty the first time.
func (s *PruningStores) Store(p int) *PruningStore {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[int]*PruningStore{}
	}
	if s.m[p] == nil {
		s.m[p] = &PruningStore{TrackStore: memory.NewTrackStore()}
	}
	return s.m[p]
}

// PruningStore is a memory.TrackStore that prunes: after Prune, Load and
// LoadAfter return only the batches after those its latest snapshot
// covered. It is safe for concurrent use.
type PruningStore struct {
	*memory.TrackStore
	mu     sync.Mutex
	pruned int64 // batches no longer loaded
	snapN  int64 // batches the latest snapshot covers (0: none)
	// the snapshots saved, the snapshots read back and the prunes that
	// removed batches
	saved, restored, prunes int
}

// Load implements kpi.TrackStore: the batches after the pruned ones.
func (s *PruningStore) Load(ctx context.Context, fn func(b *kpi.TrackBatch) error) error {
	s.mu.Lock()
	n := s.pruned
	s.mu.Unlock()
	return s.TrackStore.LoadAfter(ctx, n, fn)
}

// LoadAfter implements kpi.TrackSnapshotter; n must not be below the
// pruned batches.
func (s *PruningStore) LoadAfter(ctx context.Context, n int64, fn func(b *kpi.TrackBatch) error) error {
	s.mu.Lock()
	pruned := s.pruned
	s.mu.Unlock()
	if n < pruned {
		return fmt.Errorf("load after %d batches: the first %d were pruned", n, pruned)
	}
	return s.TrackStore.LoadAfter(ctx, n, fn)
}

// SaveSnapshot implements kpi.TrackSnapshotter.
func (s *PruningStore) SaveSnapshot(ctx context.Context, n int64, write func(w io.Writer) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n < s.pruned {
		return fmt.Errorf("a snapshot of %d batches: the first %d were pruned", n, s.pruned)
	}
	if err := s.TrackStore.SaveSnapshot(ctx, n, write); err != nil {
		return err
	}
	s.snapN = n
	s.saved++
	return nil
}

// LoadSnapshot implements kpi.TrackSnapshotter.
func (s *PruningStore) LoadSnapshot(ctx context.Context, read func(n int64, r io.Reader) error) (bool, error) {
	found, err := s.TrackStore.LoadSnapshot(ctx, read)
	if found {
		s.mu.Lock()
		s.restored++
		s.mu.Unlock()
	}
	return found, err
}

// Prune implements scaleout.Pruner: the batches the latest snapshot
// covers are no longer loaded.
func (s *PruningStore) Prune(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.snapN > s.pruned {
		s.pruned = s.snapN
		s.prunes++
	}
	return ctx.Err()
}

// Counts returns how many snapshots the store saved, how many it read
// back, and how many prunes removed batches.
func (s *PruningStore) Counts() (saved, restored, prunes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saved, s.restored, s.prunes
}

// Held returns how many batches the store still loads.
func (s *PruningStore) Held() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.TrackStore.Len() - int(s.pruned)
}

var (
	_ kpi.TrackSnapshotter = (*PruningStore)(nil)
	_ kpi.TrackLocker      = (*PruningStore)(nil)
	_ scaleout.Pruner      = (*PruningStore)(nil)
)

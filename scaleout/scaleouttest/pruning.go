package scaleouttest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
)

// PruningStores keeps each partition's store across workers, as Stores
// does, in stores that keep snapshots and prune (scaleout.Pruner): a
// pruned store forgets the batches its latest snapshot covers, so that a
// worker restarted on it has them from the snapshot only. Its Open is a
// scaleout.Worker's Store.
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
		s.m[p] = &PruningStore{keys: map[string]bool{}}
	}
	return s.m[p]
}

// PruningStore is a kpi.TrackSnapshotter in memory that prunes. It is
// safe for concurrent use.
type PruningStore struct {
	mu      sync.Mutex
	pruned  int64             // batches forgotten
	batches []*kpi.TrackBatch // those after the pruned
	keys    map[string]bool
	snap    []byte
	snapN   int64
	hasSnap bool
	// the snapshots saved, the snapshots read back and the prunes that
	// removed batches
	saved, restored, prunes int
}

// Commit implements kpi.TrackStore.
func (s *PruningStore) Commit(ctx context.Context, b *kpi.TrackBatch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[string]bool{}
	for _, r := range b.Ledger {
		if s.keys[r.Key] || seen[r.Key] {
			return fmt.Errorf("ledger key %q: %w", r.Key, kpi.ErrDuplicateKey)
		}
		seen[r.Key] = true
	}
	c := &kpi.TrackBatch{Events: slices.Clone(b.Events), Ledger: cloneRecords(b.Ledger), Closed: cloneRecords(b.Closed)}
	for i := range c.Events {
		c.Events[i].Attrs = maps.Clone(c.Events[i].Attrs)
	}
	maps.Copy(s.keys, seen)
	s.batches = append(s.batches, c)
	return nil
}

func cloneRecords(rs []kpi.TrackRecord) []kpi.TrackRecord {
	out := slices.Clone(rs)
	for i := range out {
		out[i].Data = slices.Clone(out[i].Data)
	}
	return out
}

// Load implements kpi.TrackStore: the batches after the pruned ones.
func (s *PruningStore) Load(ctx context.Context, fn func(b *kpi.TrackBatch) error) error {
	return s.LoadAfter(ctx, 0, fn)
}

// LoadAfter implements kpi.TrackSnapshotter.
func (s *PruningStore) LoadAfter(ctx context.Context, n int64, fn func(b *kpi.TrackBatch) error) error {
	s.mu.Lock()
	if n > 0 && n < s.pruned {
		s.mu.Unlock()
		return fmt.Errorf("load after %d batches: the first %d were pruned", n, s.pruned)
	}
	bs := s.batches[min(max(n-s.pruned, 0), int64(len(s.batches))):]
	s.mu.Unlock()
	for _, b := range bs {
		if err := fn(b); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// SaveSnapshot implements kpi.TrackSnapshotter.
func (s *PruningStore) SaveSnapshot(ctx context.Context, n int64, write func(w io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if n < s.pruned || n > s.pruned+int64(len(s.batches)) {
		return fmt.Errorf("a snapshot of %d batches: %d pruned, %d after them", n, s.pruned, len(s.batches))
	}
	s.snap, s.snapN, s.hasSnap = buf.Bytes(), n, true
	s.saved++
	return nil
}

// LoadSnapshot implements kpi.TrackSnapshotter.
func (s *PruningStore) LoadSnapshot(ctx context.Context, read func(n int64, r io.Reader) error) (bool, error) {
	s.mu.Lock()
	data, n, ok := s.snap, s.snapN, s.hasSnap
	if ok {
		s.restored++
	}
	s.mu.Unlock()
	if !ok {
		return false, ctx.Err()
	}
	return true, read(n, bytes.NewReader(data))
}

// Prune implements scaleout.Pruner: it forgets the batches the latest
// snapshot covers.
func (s *PruningStore) Prune(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.hasSnap || s.snapN <= s.pruned {
		return ctx.Err()
	}
	s.batches = slices.Clone(s.batches[s.snapN-s.pruned:])
	s.pruned = s.snapN
	s.prunes++
	return ctx.Err()
}

// Counts returns how many snapshots the store saved, how many it read
// back, and how many prunes removed batches.
func (s *PruningStore) Counts() (saved, restored, prunes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saved, s.restored, s.prunes
}

// Held returns how many batches the store holds (those after the pruned).
func (s *PruningStore) Held() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.batches)
}

var (
	_ kpi.TrackSnapshotter = (*PruningStore)(nil)
	_ scaleout.Pruner      = (*PruningStore)(nil)
)

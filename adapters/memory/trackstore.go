package memory

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
)

// TrackStore is an in-memory kpi.TrackStore: the state of a live tracker,
// kept for as long as the process lives. It is safe for concurrent use. A
// tracker started again with the same TrackStore restores its state from it,
// from its latest snapshot (kpi.TrackSnapshotter) when the tracker wrote one.
type TrackStore struct {
	mu      sync.RWMutex
	batches []*kpi.TrackBatch
	keys    map[string]bool
	locked  bool           // a tracker holds the store (Lock)
	snap    *trackSnapshot // the latest snapshot (nil: none)
}

// NewTrackStore returns an empty TrackStore.
func NewTrackStore() *TrackStore { return &TrackStore{keys: map[string]bool{}} }

// Commit implements kpi.TrackStore: it stores a deep copy of b, or nothing.
func (s *TrackStore) Commit(ctx context.Context, b *kpi.TrackBatch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c := copyBatch(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[string]bool{}
	for _, r := range c.Ledger {
		if s.keys[r.Key] || seen[r.Key] {
			return fmt.Errorf("ledger key %s: %w", display.QuoteID(r.Key), kpi.ErrDuplicateKey)
		}
		seen[r.Key] = true
	}
	for k := range seen {
		s.keys[k] = true
	}
	s.batches = append(s.batches, c)
	return nil
}

// Load implements kpi.TrackStore.
func (s *TrackStore) Load(ctx context.Context, fn func(*kpi.TrackBatch) error) error {
	return s.load(ctx, 0, fn)
}

// load calls fn with every committed batch after the first n.
func (s *TrackStore) load(ctx context.Context, n int64, fn func(*kpi.TrackBatch) error) error {
	s.mu.RLock()
	bs := s.batches[min(int(max(n, 0)), len(s.batches)):len(s.batches):len(s.batches)]
	s.mu.RUnlock()
	for _, b := range bs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(copyBatch(b)); err != nil {
			return err
		}
	}
	return nil
}

// Len returns the number of committed batches.
func (s *TrackStore) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.batches)
}

func copyBatch(b *kpi.TrackBatch) *kpi.TrackBatch {
	c := &kpi.TrackBatch{}
	if len(b.Events) > 0 {
		c.Events = make([]kpi.Event, len(b.Events))
		for i := range b.Events {
			c.Events[i] = b.Events[i].Clone()
			c.Events[i].ID = strings.Clone(c.Events[i].ID)
		}
	}
	c.Ledger = copyRecords(b.Ledger)
	c.Closed = copyRecords(b.Closed)
	return c
}

func copyRecords(rs []kpi.TrackRecord) []kpi.TrackRecord {
	if len(rs) == 0 {
		return nil
	}
	out := make([]kpi.TrackRecord, len(rs))
	for i, r := range rs {
		out[i] = kpi.TrackRecord{Key: r.Key, Data: append([]byte(nil), r.Data...)}
	}
	return out
}

var _ kpi.TrackStore = (*TrackStore)(nil)

// Lock implements kpi.TrackLocker: one tracker at a time. Within one
// process there is no crash to outlive, so the lock is a flag that Close of
// the tracker (the returned unlock) clears.
func (s *TrackStore) Lock(ctx context.Context) (func() error, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.locked {
		return nil, fmt.Errorf("memory: %w (close the tracker that holds it first)", kpi.ErrStoreInUse)
	}
	s.locked = true
	var once sync.Once
	return func() error {
		once.Do(func() {
			s.mu.Lock()
			s.locked = false
			s.mu.Unlock()
		})
		return nil
	}, nil
}

var _ kpi.TrackLocker = (*TrackStore)(nil)

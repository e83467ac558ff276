package kpi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
)

// SnapStore is a TrackSnapshotter in memory for the tests of this package:
// the batches as committed (copies) and the latest snapshot's bytes. The
// stores of the adapters are checked by their own conformance suite.
type SnapStore struct {
	mu      sync.Mutex
	batches []TrackBatch
	keys    map[string]bool
	snap    []byte
	covers  int64
	has     bool
	// Saves counts the snapshots saved.
	Saves int
}

// NewSnapStore returns an empty store.
func NewSnapStore() *SnapStore { return &SnapStore{keys: map[string]bool{}} }

func copyBatch(b *TrackBatch) TrackBatch {
	c := TrackBatch{}
	for i := range b.Events {
		c.Events = append(c.Events, b.Events[i].Clone())
	}
	for _, r := range b.Ledger {
		c.Ledger = append(c.Ledger, TrackRecord{Key: r.Key, Data: slices.Clone(r.Data)})
	}
	for _, r := range b.Closed {
		c.Closed = append(c.Closed, TrackRecord{Key: r.Key, Data: slices.Clone(r.Data)})
	}
	return c
}

// Commit implements TrackStore.
func (s *SnapStore) Commit(ctx context.Context, b *TrackBatch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[string]bool{}
	for _, r := range b.Ledger {
		if s.keys[r.Key] || seen[r.Key] {
			return fmt.Errorf("ledger key %q: %w", r.Key, ErrDuplicateKey)
		}
		seen[r.Key] = true
	}
	for k := range seen {
		s.keys[k] = true
	}
	s.batches = append(s.batches, copyBatch(b))
	return nil
}

// Load implements TrackStore.
func (s *SnapStore) Load(ctx context.Context, fn func(b *TrackBatch) error) error {
	return s.LoadAfter(ctx, 0, fn)
}

// LoadAfter implements TrackSnapshotter.
func (s *SnapStore) LoadAfter(ctx context.Context, n int64, fn func(b *TrackBatch) error) error {
	s.mu.Lock()
	bs := slices.Clone(s.batches)
	s.mu.Unlock()
	if n > int64(len(bs)) {
		return fmt.Errorf("load after %d batches: the store has %d", n, len(bs))
	}
	for i := range bs[n:] {
		b := copyBatch(&bs[int(n)+i])
		if err := fn(&b); err != nil {
			return err
		}
	}
	return nil
}

// SaveSnapshot implements TrackSnapshotter.
func (s *SnapStore) SaveSnapshot(ctx context.Context, n int64, write func(w io.Writer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if n > int64(len(s.batches)) {
		return fmt.Errorf("a snapshot of %d batches: the store has %d", n, len(s.batches))
	}
	s.snap, s.covers, s.has = buf.Bytes(), n, true
	s.Saves++
	return nil
}

// LoadSnapshot implements TrackSnapshotter.
func (s *SnapStore) LoadSnapshot(ctx context.Context, read func(n int64, r io.Reader) error) (bool, error) {
	s.mu.Lock()
	snap, n, has := s.snap, s.covers, s.has
	s.mu.Unlock()
	if !has {
		return false, nil
	}
	return true, read(n, bytes.NewReader(snap))
}

// Snapshot returns the latest snapshot's bytes and the batches it covers.
func (s *SnapStore) Snapshot() ([]byte, int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.snap, s.covers
}

// SetSnapshot replaces the latest snapshot (a test's corruption of it).
func (s *SnapStore) SetSnapshot(b []byte, n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.snap, s.covers, s.has = b, n, true
}

// Clone returns a store holding the same batches and snapshot.
func (s *SnapStore) Clone() *SnapStore {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &SnapStore{batches: slices.Clone(s.batches), keys: map[string]bool{}, snap: s.snap, covers: s.covers, has: s.has}
	for k := range s.keys {
		c.keys[k] = true
	}
	return c
}

// Batches is the number of committed batches.
func (s *SnapStore) Batches() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.batches)
}

// LoadOnly hides a store's snapshots: a tracker on it replays every batch.
type LoadOnly struct{ TrackStore }

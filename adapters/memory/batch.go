package memory

import (
	"context"

	"github.com/goalkit/goalkit/kpi"
)

// NewBatch returns an empty batch dated in the store's zone, to fill on a
// goroutine of its own and import with ImportBatches.
func (s *Store) NewBatch() *kpi.Batch {
	return kpi.NewBatch(s.tab.Location())
}

// ImportBatches applies the versions of batches in order, all or nothing
// (see kpi.Table.ImportBatches). The store is locked while it merges them.
func (s *Store) ImportBatches(ctx context.Context, batches ...*kpi.Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tab.ImportBatches(ctx, batches...)
}

// ImportParallel applies the versions fn adds for each of parts parts, part
// after part, all or nothing (see kpi.Table.ImportParallel): the parts fill
// batches on every core, without the store's lock, which is taken only to
// merge them. fn may not call the store's methods that write.
func (s *Store) ImportParallel(ctx context.Context, parts int, fn func(part int, add func(*kpi.Event) error) error) error {
	batches, err := kpi.FillBatches(ctx, s.tab.Location(), parts, fn)
	if err != nil {
		return err
	}
	return s.ImportBatches(ctx, batches...)
}

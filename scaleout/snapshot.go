package scaleout

import (
	"context"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// Pruner is a partition's store that can remove the batches its latest
// snapshot covers (the NATS tenant's stores: Tenant.Prune). A Worker that
// snapshots its partition prunes its store after each snapshot when the
// store is a Pruner; other stores keep every batch.
type Pruner interface {
	// Prune removes the batches the store's latest snapshot covers;
	// the store then loads the snapshot and the batches after it.
	Prune(ctx context.Context) error
}

// snapshots takes the snapshots of a worker's partition (Worker.SnapshotEvery).
type snapshots struct {
	every time.Duration // 0: none
	kt    *kpi.Tracker
	store kpi.TrackStore // the partition's store as Worker.Store opened it
	last  time.Time
}

// newSnapshots returns the snapshots of a partition's tracker on store:
// none when every is not positive or the store keeps none.
func newSnapshots(every time.Duration, kt *kpi.Tracker, store kpi.TrackStore) *snapshots {
	if _, ok := store.(kpi.TrackSnapshotter); !ok || every < 0 {
		every = 0
	}
	return &snapshots{every: every, kt: kt, store: store, last: time.Now()}
}

// due reports whether a snapshot is due after a batch.
func (s *snapshots) due() bool { return s.every > 0 && time.Since(s.last) >= s.every }

// take snapshots the partition, at offset pos, and prunes its store when
// it is a Pruner. It runs between the worker's batches, so that the
// versions the worker's snapshot holds are those of the batches the
// tracker's covers.
func (s *snapshots) take(ctx context.Context, pos uint64) error {
	if s.every == 0 {
		return nil
	}
	if err := s.kt.Snapshot(ctx); err != nil {
		return fmt.Errorf("snapshot at offset %d: %w", pos, err)
	}
	if pr, ok := s.store.(Pruner); ok {
		if err := pr.Prune(ctx); err != nil {
			return fmt.Errorf("prune after the snapshot at offset %d: %w", pos, err)
		}
	}
	s.last = time.Now()
	return nil
}

package serve

import (
	"context"
	"sync"
	"time"
)

// snapshots remembers what the last snapshot of the tracker covered: the
// number of changes (changes.seq) when it was taken.
type snapshots struct {
	mu   sync.Mutex // one snapshot at a time
	seq  uint64
	done bool // a snapshot was written (seq is meaningful)
}

// snapshot writes a snapshot of the tracker's state to its store when
// something changed since the last one; errors are logged, not fatal: a
// restart then replays more batches, nothing is lost.
func (s *Server) snapshot(ctx context.Context) {
	s.snap.mu.Lock()
	defer s.snap.mu.Unlock()
	seq := s.changes.current()
	if s.snap.done && seq == s.snap.seq {
		return
	}
	start := time.Now()
	if err := s.tr.Indicators().Snapshot(ctx); err != nil {
		if ctx.Err() == nil {
			s.log.Error("snapshot", "err", err)
		}
		return
	}
	s.snap.seq, s.snap.done = seq, true
	s.log.Info("snapshot", "events", s.tr.Indicators().Len(), "ms", time.Since(start).Milliseconds())
}

// finalSnapshot is the snapshot of a shutdown: taken when snapshots are on
// and something changed since the last one, with ShutdownTimeout to finish.
func (s *Server) finalSnapshot(ctx context.Context) {
	if s.cfg.SnapshotEvery <= 0 || s.cfg.Ingest != nil {
		return
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownTimeout)
	defer cancel()
	s.snapshot(sctx)
}

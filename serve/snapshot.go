package serve

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// snapshots remembers what the last snapshot of the tracker covered: the
// number of changes (changes.seq) and of the ticks that closed goals
// (closes) when it was taken.
type snapshots struct {
	mu     sync.Mutex // one snapshot at a time
	seq    uint64
	closed uint64
	done   bool // a snapshot was written (seq and closed are meaningful)
	// closes counts the ticks that committed closed goal records: a batch
	// of the store whether or not the tick had a notification to emit,
	// which a restart replays unless a snapshot covers it.
	closes atomic.Uint64
}

// snapshot writes a snapshot of the tracker's state to its store when
// something changed since the last one (a change for the streams, or a
// tick that closed goals); errors are logged, not fatal: a
// restart then replays more batches, nothing is lost.
func (s *Server) snapshot(ctx context.Context) {
	s.snap.mu.Lock()
	defer s.snap.mu.Unlock()
	seq, closed := s.changes.current(), s.snap.closes.Load()
	if s.snap.done && seq == s.snap.seq && closed == s.snap.closed {
		return
	}
	start := time.Now()
	if err := s.tr.Indicators().Snapshot(ctx); err != nil {
		if ctx.Err() == nil {
			s.log.Error("snapshot", "err", err)
		}
		return
	}
	s.snap.seq, s.snap.closed, s.snap.done = seq, closed, true
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

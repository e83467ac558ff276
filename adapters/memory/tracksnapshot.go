package memory

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/goalkit/goalkit/kpi"
)

// trackSnapshot is the latest snapshot of a TrackStore: its bytes and the
// number of batches it covers.
type trackSnapshot struct {
	n    int64
	data []byte
}

// SaveSnapshot implements kpi.TrackSnapshotter: it keeps a copy of what
// write writes as the latest snapshot, or nothing when write fails or ctx
// is done before it is kept.
func (s *TrackStore) SaveSnapshot(ctx context.Context, n int64, write func(w io.Writer) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if n < 0 {
		return fmt.Errorf("memory: a snapshot of %d batches", n)
	}
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return fmt.Errorf("memory: writing the snapshot: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if n > int64(len(s.batches)) {
		return fmt.Errorf("memory: a snapshot of %d batches, but %d are committed", n, len(s.batches))
	}
	s.snap = &trackSnapshot{n: n, data: buf.Bytes()}
	return nil
}

// LoadSnapshot implements kpi.TrackSnapshotter.
func (s *TrackStore) LoadSnapshot(ctx context.Context, read func(n int64, r io.Reader) error) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	s.mu.RLock()
	snap := s.snap
	s.mu.RUnlock()
	if snap == nil {
		return false, nil
	}
	return true, read(snap.n, bytes.NewReader(snap.data))
}

// LoadAfter implements kpi.TrackSnapshotter.
func (s *TrackStore) LoadAfter(ctx context.Context, n int64, fn func(*kpi.TrackBatch) error) error {
	return s.load(ctx, n, fn)
}

var _ kpi.TrackSnapshotter = (*TrackStore)(nil)

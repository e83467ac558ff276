package scaleout

import (
	"context"
	"strconv"

	"github.com/goalkit/goalkit/kpi"
)

// posKey is the closed-record key under which a worker commits, with each
// batch, the offset of the batch's last record.
const posKey = "scaleout.pos"

// restored wraps a partition's TrackStore: while the tracker loads it, it
// notes the committed position and the versions applied.
type restored struct {
	kpi.TrackStore
	pos uint64
	v   versions
}

func (r *restored) Load(ctx context.Context, fn func(b *kpi.TrackBatch) error) error {
	return r.TrackStore.Load(ctx, func(b *kpi.TrackBatch) error {
		for i := range b.Events {
			r.v.fresh(&b.Events[i])
		}
		for _, c := range b.Closed {
			if c.Key == posKey {
				p, err := strconv.ParseUint(string(c.Data), 10, 64)
				if err != nil {
					return err
				}
				r.pos = p
			}
		}
		return fn(b)
	})
}

// lockedRestored keeps the TrackLocker of a store that has one.
type lockedRestored struct {
	*restored
	l kpi.TrackLocker
}

func (r lockedRestored) Lock(ctx context.Context) (func() error, error) { return r.l.Lock(ctx) }

func restore(s kpi.TrackStore) (*restored, kpi.TrackStore) {
	r := &restored{TrackStore: s, v: versions{}}
	if l, ok := s.(kpi.TrackLocker); ok {
		return r, lockedRestored{r, l}
	}
	return r, r
}

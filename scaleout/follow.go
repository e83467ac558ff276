package scaleout

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/goalkit/goalkit/kpi"
)

// Follow keeps a replica of a log's current events: it reads every
// partition from its first record and calls apply with each batch of
// versions, in log order within a partition, leaving out those a worker
// would drop (a version not newer, by Known, than one applied to its ID:
// an older one, a copy, or another known at the same instant).
// Batches of different partitions may be applied concurrently; they hold
// different event IDs.
//
// Once every partition is read up to the end it had when Follow started
// (or past it, where the offsets before it hold no record: a
// SkippingCursor's), Follow calls caught (once; nil: no call); it goes on following the partitions until
// ctx is done, when it returns ctx's error, or until a record cannot be
// decoded or apply fails, when it returns that error, naming the
// partition and the offsets, or until the log, an IdentifiedLog, is
// another than the one it started on (deleted and made again), when it
// returns an error naming both identities. A nil log or apply, and a log of a negative
// number of partitions, are errors.
func Follow(ctx context.Context, log Log, apply func(ctx context.Context, events []kpi.Event) error, caught func()) error {
	switch {
	case log == nil:
		return errors.New("scaleout.Follow: no Log to follow")
	case apply == nil:
		return errors.New("scaleout.Follow: no apply to give the versions to")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if caught == nil {
		caught = func() {}
	}
	n, err := partitions(log)
	if err != nil {
		return err
	}
	var left atomic.Int64
	left.Store(int64(n))
	seeded := func() {
		if left.Add(-1) == 0 {
			caught()
		}
	}
	if n == 0 {
		caught()
		<-ctx.Done()
		return ctx.Err()
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for p := range n {
		wg.Go(func() {
			if err := follow(ctx, log, p, n, apply, seeded); err != nil && ctx.Err() == nil {
				errs[p] = fmt.Errorf("partition %d: %w", p, err)
				cancel()
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return ctx.Err()
}

// follow follows one partition; seeded is called once it is read up to
// the end it had at the start.
func follow(ctx context.Context, log Log, p, n int, apply func(context.Context, []kpi.Event) error, seeded func()) error {
	ident, err := identity(ctx, log, p)
	if err != nil {
		return err
	}
	end, err := log.End(ctx, p)
	if err != nil {
		return err
	}
	cur, err := open(ctx, log, p, 1)
	if err != nil {
		return err
	}
	defer cur.Close()
	v := versions{}
	var pos uint64
	done := false
	passed := passer(cur) // past end without a record there: read to it
	for {
		if !done && passed(pos) >= end {
			done = true
			seeded()
		}
		recs, err := cur.Next(ctx, 1000)
		if err != nil {
			return err
		}
		// A log deleted and made again under the replica, which has
		// passed its offset: told by the log's identity, read after the
		// records.
		if len(recs) > 0 {
			now, err := remade(ctx, log, p, ident)
			if err != nil {
				return err
			}
			if now != "" {
				return fmt.Errorf("the log's partition is another since the replica started on it (identity %s, now %s): it was deleted and made again, and the replica, which has read up to offset %d, would read on from the new log's offset %d, skipping its first records; start the replica again to read the new log from its start",
					ident, now, pos, pos+1)
			}
		}
		events, first, last, err := v.decode(recs, p, n, pos)
		if err != nil {
			return err
		}
		pos = last
		if len(events) > 0 {
			if err := apply(ctx, events); err != nil {
				return fmt.Errorf("offsets %d to %d: %w", first, pos, err)
			}
		}
	}
}

package scaleout

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
)

// Worker says what Run runs: the plan's live tracking over some partitions
// of a log.
type Worker struct {
	Plan *goalkit.Plan
	// Options are the plan's evaluation options (Plan.Track).
	Options []goalkit.EvalOption
	Log     Log
	// Store opens the durable store of a partition; it is called from one
	// goroutine per partition, concurrently. One worker at a time
	// may hold a partition's store: a store that is a kpi.TrackLocker is
	// locked for the worker's life.
	Store func(ctx context.Context, partition int) (kpi.TrackStore, error)
	// Parts receives each partition's part after its batches.
	Parts PartStore
	// Partitions are the partitions the worker owns, each once; Run
	// refuses a worker without one.
	Partitions []int
	// Batch is the most records committed in one batch (0: 500). A batch
	// also holds no more than 512 KiB of the records' data (a record
	// larger than that, alone), so that it fits a store that keeps a
	// batch as one message (NATS: 1 MB by default), and no more than half
	// of what a store that is a BatchLimiter says it holds; a log over
	// such a store refuses a record that a batch cannot hold alone (the
	// NATS tenant's Append does).
	Batch int
	// PartEvery is the least time between two parts of a partition put to
	// Parts (0: after every batch). The last part is always put: at the
	// end of a drain, and once the worker is stopped (its context done;
	// the put then has up to ten seconds).
	PartEvery time.Duration
	// SnapshotEvery is the least time between two snapshots of a
	// partition (0 or less: none). A partition whose store keeps snapshots (a
	// kpi.TrackSnapshotter) is snapshotted once SnapshotEvery has passed
	// since it started or was last snapshotted, after a batch, and at the
	// end of a drain; its store is then pruned when it is a Pruner, so
	// that it keeps only the batches since. A restarted worker reads the
	// latest snapshot and the batches after it instead of every batch. The
	// partition waits while its snapshot is written (the others go on),
	// and a snapshot or a prune that fails stops the worker, as a commit
	// that fails does. A store that keeps no snapshots is not snapshotted.
	SnapshotEvery time.Duration
	// Drain stops the worker once every partition is read up to the end it
	// had when the worker started (or past it, where the offsets before it
	// hold no record: a SkippingCursor's).
	Drain bool
	// Leases, when set, make Partitions the candidates: the worker runs
	// those whose leases it takes as LeaseHolder, Holder and a token of
	// its own (at most MaxPartitions of them; 0: no limit), keeps them
	// every LeaseEvery (0: a second), and
	// takes those whose holder stopped keeping them. A partition whose
	// lease it loses stops while the others go on being kept; one whose
	// store the previous holder still has (kpi.ErrStoreInUse: it lost the
	// lease and is stopping) is started again at each round until the
	// store is free, and so is one whose commit was fenced (ErrFenced),
	// for up to StoreWait. A worker with leases does not drain.
	Leases        Leases
	Holder        string
	MaxPartitions int
	LeaseEvery    time.Duration
	// StoreWait is how long, with Leases, after the worker took a
	// partition's lease, its store may refuse the partition (0 or less:
	// a minute): a start made StoreWait or more after the lease was taken
	// (and held since) that the store refuses, in use (kpi.ErrStoreInUse)
	// or fenced (ErrFenced: another writer committed after the start,
	// however long the start ran before its commit), makes Run return an
	// error naming the partition, as the store is held or written by a
	// writer outside the leases (a worker on a static share, or one given
	// other leases), which never gives it up. Refused starts made earlier
	// are the previous holder's doing: the partition is started again.
	// It is counted from the lease, not from a refusal, so that a
	// partition written seldom, each of whose runs waits longer than
	// StoreWait for a record before its commit is fenced, is told too.
	// Give more than the previous holder of a partition takes to notice
	// it lost the lease (its LeaseEvery) and to stop.
	StoreWait time.Duration
}

// maxBatchBytes bounds the records' data of one batch (see Worker.Batch).
const maxBatchBytes = 512 << 10

// BatchLimiter is an optional capability of a partition's store that keeps
// a batch in one message of bounded size (a NATS tenant's store, bounded
// by the servers' maximum payload). A Worker's batches over it hold no more
// records' data than half of MaxBatchBytes, when that is less than 512 KiB
// (a record larger than that, alone): the other half is left for what a
// batch adds, as 512 KiB leaves it of NATS's default of 1 MB.
type BatchLimiter interface {
	// MaxBatchBytes is the most bytes one batch's message may have; 0 or
	// less: not known.
	MaxBatchBytes() int
}

// batchBytes is the most records' data one batch of store takes.
func batchBytes(store kpi.TrackStore) int {
	if l, ok := store.(BatchLimiter); ok && l.MaxBatchBytes() > 0 {
		return min(maxBatchBytes, l.MaxBatchBytes()/2)
	}
	return maxBatchBytes
}

// fitting returns how many of recs, from the first, one batch takes: those
// whose data add up to limit bytes, and at least one.
func fitting(recs []Record, limit int) int {
	size := 0
	for i, r := range recs {
		if size += len(r.Data); size > limit && i > 0 {
			return i
		}
	}
	return len(recs)
}

// endLag is how long a worker reads a partition's end again while it is
// before the offset its store committed.
const endLag = 2 * time.Second

// lastPartTimeout bounds the put of a stopped worker's last part.
const lastPartTimeout = 10 * time.Second

// Run runs the worker until ctx is done (then it returns nil) or, with
// Drain, until its partitions are consumed (a ctx done before is an
// error); a failing partition stops them all and its error is returned.
func (w *Worker) Run(ctx context.Context) error {
	switch {
	case w.Plan == nil:
		return errors.New("a worker needs a Plan")
	case w.Log == nil:
		return errors.New("a worker needs a Log")
	case w.Store == nil:
		return errors.New("a worker needs a Store to open its partitions' stores")
	case w.Parts == nil:
		return errors.New("a worker needs Parts to put its partitions' parts to")
	case len(w.Partitions) == 0:
		// Without one it stopped at once, a drain as if it had read its
		// share: more workers than partitions (Assignment.Owned gives
		// such a worker none), or a list left empty.
		return errors.New("a worker needs Partitions (with Leases, the candidates): it has none to run")
	}
	if w.Leases != nil {
		return w.runLeased(ctx)
	}
	// Two runs of one partition would share its store: the second would
	// find it in use, or commit beside the first.
	for i, p := range w.Partitions {
		if slices.Contains(w.Partitions[:i], p) {
			return fmt.Errorf("partition %d is listed twice in Partitions %v", p, w.Partitions)
		}
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(w.Partitions))
	var wg sync.WaitGroup
	for i, p := range w.Partitions {
		wg.Go(func() {
			err := w.partition(ctx, p)
			switch {
			case err == nil:
			case ctx.Err() != nil && parent.Err() == nil:
				// Stopped by another partition's failure, the error returned.
			case ctx.Err() == nil || w.Drain:
				errs[i] = fmt.Errorf("partition %d: %w", p, err)
				cancel()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// partition runs one partition: restore, then read, commit, acknowledge.
func (w *Worker) partition(ctx context.Context, p int) error {
	base, err := w.Store(ctx, p)
	if err != nil {
		return err
	}
	if base == nil {
		return errors.New("the worker's Store returned neither a store nor an error")
	}
	r, store := restore(base)
	tr, err := w.Plan.Track(ctx, store, w.Options...)
	if err != nil {
		return err
	}
	defer tr.Close()
	kt := tr.Indicators()
	// A snapshot holds the closed records: the position, when no batch
	// after it carried one.
	if err := r.position(kt.Closed()); err != nil {
		return fmt.Errorf("the position in the store: %w", err)
	}
	snaps := newSnapshots(w.SnapshotEvery, kt, base)
	// A log whose partition ends before what the store committed has lost
	// records it had: reading on from the store's position would skip the
	// records the log takes until it passes that offset again. An end read
	// from a leader that has just taken over may lag for a moment: it is
	// read again for a while first.
	end, err := w.Log.End(ctx, p)
	for deadline := time.Now().Add(endLag); err == nil && r.pos > end && time.Now().Before(deadline); {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(endLag / 10):
		}
		end, err = w.Log.End(ctx, p)
	}
	if err != nil {
		return err
	}
	if r.pos > end {
		return fmt.Errorf("the store has committed up to offset %d, past the end of the log's partition (offset %d): the log lost records it had (was it made again?)", r.pos, end)
	}
	// A log made again that has passed the old offset is told by its
	// identity, where the log says one and the store kept one.
	ident, err := identity(ctx, w.Log, p)
	if err != nil {
		return err
	}
	if r.ident != "" && ident != "" && r.ident != ident {
		return fmt.Errorf("the store has committed up to offset %d of the log's partition as it was (identity %s), and the log's partition is now another (identity %s): it was deleted and made again, and reading on from offset %d would skip the new log's first records; to read the new log from its start, remove the partition's store (a new tenant, or the old tenant's state deleted), or give the workers the old log back",
			r.pos, r.ident, ident, r.pos+1)
	}
	n, err := partitions(w.Log)
	if err != nil {
		return err
	}
	cur, err := open(ctx, w.Log, p, r.pos+1)
	if err != nil {
		return err
	}
	defer cur.Close()
	batch := w.Batch
	if batch <= 0 {
		batch = 500
	}
	limit := batchBytes(base)
	put := func(ctx context.Context, pos uint64) error {
		data, err := kt.Partial(ctx)
		if err != nil {
			return err
		}
		return w.Parts.Put(ctx, p, pos, withIdentity(ident, data))
	}
	// The part of what was restored: the store may be ahead of Parts.
	if err := put(ctx, r.pos); err != nil {
		return err
	}
	pos, putPos := r.pos, r.pos
	var lastPut time.Time
	// A worker stopped between two parts puts the last, so that PartEvery
	// holds back no committed batch from the merged report until another
	// worker starts on the partition.
	defer func() {
		if putPos != pos && ctx.Err() != nil {
			pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), lastPartTimeout)
			defer cancel()
			_ = put(pctx, pos) // the worker stops whatever the put's outcome
		}
	}()
	var pending []Record // read, to be committed in the next batches
	// A drain ends at end also where the cursor has read past it without
	// a record there (a SkippingCursor: a Kafka transaction's marker
	// last), once what it returned is committed.
	passed := passer(cur)
	for {
		if w.Drain && (pos >= end || len(pending) == 0 && passed(pos) >= end) {
			if putPos != pos {
				if err := put(ctx, pos); err != nil {
					return err
				}
			}
			return snaps.take(ctx, pos)
		}
		if len(pending) == 0 {
			if pending, err = cur.Next(ctx, batch); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				return err
			}
			// A log deleted and made again while the worker ran, which
			// has passed its offset: its records may be the new log's,
			// told by the log's identity, read after them.
			if len(pending) > 0 {
				now, err := remade(ctx, w.Log, p, ident)
				if err != nil {
					return err
				}
				if now != "" {
					return fmt.Errorf("the log's partition is another since the worker started on it (identity %s, now %s): it was deleted and made again, and the worker, which has committed up to offset %d, would read on from the new log's offset %d, skipping its first records; to read the new log from its start, remove the partition's store (a new tenant, or the old tenant's state deleted), or give the workers the old log back",
						ident, now, pos, pos+1)
				}
			}
		}
		recs := pending[:fitting(pending, limit)]
		pending = pending[len(recs):]
		events, first, last, err := r.v.decode(recs, p, n, pos)
		if err != nil {
			return err
		}
		if last == pos {
			if putPos != pos && time.Since(lastPut) >= w.PartEvery {
				if err := put(ctx, pos); err != nil {
					return err
				}
				putPos, lastPut = pos, time.Now()
			}
			continue
		}
		b := &kpi.TrackBatch{Events: events, Closed: []kpi.TrackRecord{{Key: posKey, Data: appendPos(nil, last, ident)}}}
		if err := kt.Commit(ctx, b); err != nil {
			return fmt.Errorf("offsets %d to %d: %w", first, last, err)
		}
		pos = last
		if err := cur.Ack(ctx, pos); err != nil {
			return err
		}
		if time.Since(lastPut) >= w.PartEvery {
			if err := put(ctx, pos); err != nil {
				return err
			}
			putPos, lastPut = pos, time.Now()
		}
		if snaps.due() {
			if err := snaps.take(ctx, pos); err != nil {
				return err
			}
		}
	}
}

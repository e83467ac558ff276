package scaleout_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
)

// failing is a store whose commits fail.
type failing struct{ kpi.TrackStore }

func (failing) Commit(context.Context, *kpi.TrackBatch) error { return errors.New("disk full") }

// waiting is a store whose commits wait until their context is done.
type waiting struct{ kpi.TrackStore }

func (waiting) Commit(ctx context.Context, _ *kpi.TrackBatch) error {
	<-ctx.Done()
	return ctx.Err()
}

// TestWorkerErrorNamesTheFailingPartition drains two partitions, one of
// which fails: the worker's error is that partition's, not also the
// cancellation of the other that the failure stopped.
func TestWorkerErrorNamesTheFailingPartition(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	plan, _, ev := wonPlan(t)
	log := scaleout.NewMemoryLog(2)
	var recs []scaleout.Record
	for i := range 2 {
		// An ID of partition i.
		id := 0
		for scaleout.Partition(fmt.Sprint(id), 2) != i {
			id++
		}
		data, err := scaleout.EncodeEvent(&[]kpi.Event{ev(fmt.Sprint(id), "anna", 1, 1)}[0])
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, scaleout.Record{Partition: i, ID: fmt.Sprint(i), Data: data})
	}
	if err := log.Append(ctx, recs); err != nil {
		t.Fatal(err)
	}
	st := &scaleouttest.Stores{}
	store := func(ctx context.Context, p int) (kpi.TrackStore, error) {
		s, err := st.Open(ctx, p)
		if p == 0 {
			return failing{s}, err
		}
		return waiting{s}, err
	}
	w := &scaleout.Worker{Plan: plan, Log: log, Store: store, Parts: &scaleout.MemoryParts{}, Partitions: []int{0, 1}, Drain: true}
	err := w.Run(ctx)
	if err == nil || err.Error() != "partition 0: offsets 1 to 1: disk full" {
		t.Fatalf("err = %v", err)
	}
}

// sparse is a log whose offsets are ten times MemoryLog's, as a NATS
// partition's (stream sequences shared with the other partitions) have
// gaps between them.
type sparse struct{ *scaleout.MemoryLog }

func (l sparse) End(ctx context.Context, p int) (uint64, error) {
	end, err := l.MemoryLog.End(ctx, p)
	return 10 * end, err
}

func (l sparse) Open(ctx context.Context, p int, from uint64) (scaleout.Cursor, error) {
	c, err := l.MemoryLog.Open(ctx, p, (from+9)/10)
	return sparseCursor{c}, err
}

type sparseCursor struct{ scaleout.Cursor }

func (c sparseCursor) Next(ctx context.Context, n int) ([]scaleout.Record, error) {
	recs, err := c.Cursor.Next(ctx, n)
	for i := range recs {
		recs[i].Offset *= 10
	}
	return recs, err
}

// TestCommitErrorNamesTheBatchOffsets: a batch that fails to commit is
// named by the offsets of its first and last records, also in a log whose
// offsets have gaps.
func TestCommitErrorNamesTheBatchOffsets(t *testing.T) {
	ctx := context.Background()
	plan, _, ev := wonPlan(t)
	mem := scaleout.NewMemoryLog(1)
	var events []kpi.Event
	for i := range 3 {
		events = append(events, ev(fmt.Sprint(i), "anna", 1, 1))
	}
	if err := scaleout.Publish(ctx, mem, "b", time.Time{}, events); err != nil {
		t.Fatal(err)
	}
	st := &scaleouttest.Stores{}
	store := func(ctx context.Context, p int) (kpi.TrackStore, error) {
		s, err := st.Open(ctx, p)
		return failing{s}, err
	}
	w := &scaleout.Worker{Plan: plan, Log: sparse{mem}, Store: store, Parts: &scaleout.MemoryParts{}, Partitions: []int{0}, Drain: true}
	if err := w.Run(ctx); err == nil || err.Error() != "partition 0: offsets 10 to 30: disk full" {
		t.Fatalf("err = %v", err)
	}
}

// TestWorkerRefusesAPartitionTwice: a partition listed twice would run
// twice on one store, the second run finding it in use or, on a store that
// is not locked, committing the same records beside the first; which of
// the two happened depended on timing. The worker refuses the list before
// it opens any store.
func TestWorkerRefusesAPartitionTwice(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	plan, _, _ := wonPlan(t)
	opened := 0
	st := &scaleouttest.Stores{}
	w := &scaleout.Worker{Plan: plan, Log: scaleout.NewMemoryLog(2), Parts: &scaleout.MemoryParts{}, Partitions: []int{0, 1, 0}, Drain: true,
		Store: func(ctx context.Context, p int) (kpi.TrackStore, error) { opened++; return st.Open(ctx, p) }}
	err := w.Run(ctx)
	if err == nil || err.Error() != "partition 0 is listed twice in Partitions [0 1 0]" || opened != 0 {
		t.Fatalf("err = %v, %d stores opened", err, opened)
	}
}

// TestWorkerRefusesALogBehindItsStore: a store that committed up to an
// offset the log no longer reaches (the log made again, its records gone)
// is refused, naming both offsets. The worker read on from the store's
// position: a draining one stopped at once, and one that runs on skipped
// every record the new log took until it passed that offset.
func TestWorkerRefusesALogBehindItsStore(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	plan, _, ev := wonPlan(t)
	st, parts := &scaleouttest.Stores{}, &scaleout.MemoryParts{}
	var evs []kpi.Event
	for i := range 5 {
		evs = append(evs, ev(fmt.Sprint(i), "anna", 1, 1))
	}
	first := scaleout.NewMemoryLog(1)
	if err := scaleout.Publish(ctx, first, "first", time.Time{}, evs); err != nil {
		t.Fatal(err)
	}
	w := &scaleout.Worker{Plan: plan, Log: first, Store: st.Open, Parts: parts, Partitions: []int{0}, Drain: true}
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	again := scaleout.NewMemoryLog(1)
	if err := scaleout.Publish(ctx, again, "again", time.Time{}, evs[:2]); err != nil {
		t.Fatal(err)
	}
	for _, drain := range []bool{true, false} {
		w := &scaleout.Worker{Plan: plan, Log: again, Store: st.Open, Parts: parts, Partitions: []int{0}, Drain: drain}
		err := w.Run(ctx)
		want := "partition 0: the store has committed up to offset 5, past the end of the log's partition (offset 2): the log lost records it had (was it made again?)"
		if err == nil || err.Error() != want {
			t.Fatalf("drain %t: err = %v, want %q", drain, err, want)
		}
	}
}

// TestWorkerNeedsItsFields: a worker without a Plan, Log, Store, Parts or
// Partitions is refused, naming the field. It panicked on a nil pointer in a
// partition's goroutine, which took the host's process down.
func TestWorkerNeedsItsFields(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	plan, _, ev := wonPlan(t)
	log := scaleout.NewMemoryLog(1)
	if err := scaleout.Publish(ctx, log, "b", time.Time{}, []kpi.Event{ev("1", "anna", 1, 1)}); err != nil {
		t.Fatal(err)
	}
	st := &scaleouttest.Stores{}
	full := scaleout.Worker{Plan: plan, Log: log, Store: st.Open, Parts: &scaleout.MemoryParts{}, Partitions: []int{0}, Drain: true}
	without := func(f func(w *scaleout.Worker)) scaleout.Worker {
		w := full
		f(&w)
		return w
	}
	const none = "a worker needs Partitions (with Leases, the candidates): it has none to run"
	for _, c := range []struct {
		want string
		w    scaleout.Worker
	}{
		{"a worker needs a Plan", without(func(w *scaleout.Worker) { w.Plan = nil })},
		{"a worker needs a Log", without(func(w *scaleout.Worker) { w.Log = nil })},
		{"a worker needs a Store to open its partitions' stores", without(func(w *scaleout.Worker) { w.Store = nil })},
		{"a worker needs Parts to put its partitions' parts to", without(func(w *scaleout.Worker) { w.Parts = nil })},
		// Without partitions it returned nil at once, as if it had drained
		// its share, or, with leases, ran taking none.
		{none, without(func(w *scaleout.Worker) { w.Partitions = scaleout.Assignment{I: 1, N: 2}.Owned(log.Partitions()) })},
		{none, without(func(w *scaleout.Worker) {
			w.Partitions, w.Drain, w.Leases, w.Holder = nil, false, &scaleout.MemoryLeases{}, "a"
		})},
	} {
		if err := c.w.Run(ctx); err == nil || err.Error() != c.want {
			t.Errorf("err = %v, want %q", err, c.want)
		}
	}
	if err := full.Run(ctx); err != nil {
		t.Fatal(err)
	}
}

// laggingEnd is a log whose End is behind for its first calls, as one read
// from a leader that has just taken over may be.
type laggingEnd struct {
	scaleout.Log
	behind atomic.Int32
}

func (l *laggingEnd) End(ctx context.Context, p int) (uint64, error) {
	end, err := l.Log.End(ctx, p)
	if l.behind.Add(-1) >= 0 {
		return end / 2, err
	}
	return end, err
}

// TestWorkerWaitsOutAnEndThatLags: an end behind the store's offset for a
// moment is read again, and the worker goes on.
func TestWorkerWaitsOutAnEndThatLags(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	plan, _, ev := wonPlan(t)
	st, parts := &scaleouttest.PruningStores{}, &scaleout.MemoryParts{}
	mem := scaleout.NewMemoryLog(1)
	var evs []kpi.Event
	for i := range 6 {
		evs = append(evs, ev(fmt.Sprint(i), "anna", 1, 1))
	}
	if err := scaleout.Publish(ctx, mem, "first", time.Time{}, evs[:4]); err != nil {
		t.Fatal(err)
	}
	log := &laggingEnd{Log: mem}
	for _, more := range [][]kpi.Event{nil, evs[4:]} {
		if more != nil {
			if err := scaleout.Publish(ctx, mem, "more", time.Time{}, more); err != nil {
				t.Fatal(err)
			}
		}
		log.behind.Store(2)
		w := &scaleout.Worker{Plan: plan, Log: log, Store: st.Open, Parts: parts, Partitions: []int{0}, Drain: true}
		if err := w.Run(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := st.Store(0).Held(); n != 2 {
		t.Fatalf("%d batches committed, want 2", n)
	}
}

package scaleout_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
)

// inUse is a partition's store that another tracker holds for its first
// Busy locks, as the store of a partition whose previous holder lost its
// lease and has not closed its tracker yet.
type inUse struct {
	*memory.TrackStore
	Busy  int32
	locks atomic.Int32
}

func (s *inUse) Lock(ctx context.Context) (func() error, error) {
	if s.locks.Add(1) <= s.Busy {
		return nil, fmt.Errorf("test: %w", kpi.ErrStoreInUse)
	}
	return s.TrackStore.Lock(ctx)
}

// A worker that takes a partition's lease while the previous holder still
// holds its store (it lost the lease and is stopping) waits for the store
// and runs the partition, rather than stop with an error.
func TestLeasedWorkerWaitsForAStoreInUse(t *testing.T) {
	ctx := context.Background()
	plan, known, ev := wonPlan(t)
	var events []kpi.Event
	for i := range 40 {
		events = append(events, ev(fmt.Sprint(i), []string{"anna", "bob"}[i%2], int64(i), 1))
	}
	log := scaleout.NewMemoryLog(2)
	if err := scaleout.Publish(ctx, log, "b", time.Time{}, events); err != nil {
		t.Fatal(err)
	}
	stores := []*inUse{{TrackStore: memory.NewTrackStore(), Busy: 3}, {TrackStore: memory.NewTrackStore()}}
	parts := &scaleout.MemoryParts{}
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	w := &scaleout.Worker{Plan: plan, Log: log, Parts: parts, Partitions: []int{0, 1},
		Store:  func(_ context.Context, p int) (kpi.TrackStore, error) { return stores[p], nil },
		Leases: &scaleout.MemoryLeases{TTL: time.Minute}, Holder: "a", LeaseEvery: 10 * time.Millisecond}
	go func() { done <- w.Run(wctx) }()
	src := &scaleout.Source{Log: log, Parts: parts}
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-done:
			t.Fatalf("the worker stopped: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
		rep, err := plan.Evaluate(ctx, scaleouttest.PartsOnly{Source: src}, known(10))
		if err == nil {
			if v, _ := rep.Values.Value("won", "anna", plan.Periods()[0]); v.Valid && v.Decimal.IntPart() == 20 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the partition whose store was in use never ran (%v)", err)
		}
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	scaleouttest.SameAsBatch(t, plan, src, events, known(10))
}

// losing are leases that take partition 0 away from its holder once, at
// the holder's first Keep of it, and note every Keep of partition 1 after
// that.
type losing struct {
	scaleout.Leases
	lost       atomic.Bool
	keptAfter  chan struct{}
	signalOnce sync.Once
}

func (l *losing) Keep(ctx context.Context, p int, holder string) error {
	if p == 0 && l.lost.CompareAndSwap(false, true) {
		return fmt.Errorf("partition 0: %w", scaleout.ErrLeaseLost)
	}
	if p == 1 && l.lost.Load() {
		l.signalOnce.Do(func() { close(l.keptAfter) })
	}
	return l.Leases.Keep(ctx, p, holder)
}

// slowClose is a partition's store whose tracker takes until release is
// closed to close, as one that finishes a commit or a snapshot on its way
// out.
type slowClose struct {
	*memory.TrackStore
	release <-chan struct{}
}

func (s slowClose) Lock(ctx context.Context) (func() error, error) {
	unlock, err := s.TrackStore.Lock(ctx)
	if err != nil {
		return nil, err
	}
	return func() error {
		<-s.release
		return unlock()
	}, nil
}

// A worker that loses one partition's lease keeps its other leases while
// that partition stops: waiting for it before keeping them let them lapse
// too, one slow stop costing the worker every partition.
func TestLostLeaseDoesNotHoldBackTheOthers(t *testing.T) {
	ctx := context.Background()
	plan, _, _ := wonPlan(t)
	log := scaleout.NewMemoryLog(2)
	leases := &losing{Leases: &scaleout.MemoryLeases{TTL: time.Minute}, keptAfter: make(chan struct{})}
	release := make(chan struct{})
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	w := &scaleout.Worker{Plan: plan, Log: log, Parts: &scaleout.MemoryParts{}, Partitions: []int{0, 1},
		Store: func(_ context.Context, p int) (kpi.TrackStore, error) {
			if p == 0 {
				return slowClose{memory.NewTrackStore(), release}, nil
			}
			return memory.NewTrackStore(), nil
		},
		Leases: leases, Holder: "a", LeaseEvery: 10 * time.Millisecond}
	go func() { done <- w.Run(wctx) }()
	select {
	case <-leases.keptAfter:
	case err := <-done:
		t.Fatalf("the worker stopped: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("partition 1's lease was not kept while partition 0 stopped")
	}
	close(release)
	stop()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
}

// fencedOnce is a partition's store whose first commit finds that another
// writer committed before it (a holder that lost the lease and had not
// noticed yet), as a fenced store refuses it.
type fencedOnce struct {
	*memory.TrackStore
	commits atomic.Int32
}

func (s *fencedOnce) Commit(ctx context.Context, b *kpi.TrackBatch) error {
	if s.commits.Add(1) == 1 {
		return fmt.Errorf("test: %w", scaleout.ErrFenced)
	}
	return s.TrackStore.Commit(ctx, b)
}

// A worker whose commit to a partition it holds the lease of is fenced
// (the previous holder committed after this one loaded the store) loads
// the store again and goes on, rather than stop with an error.
func TestLeasedWorkerRestartsAFencedPartition(t *testing.T) {
	ctx := context.Background()
	plan, known, ev := wonPlan(t)
	var events []kpi.Event
	for i := range 30 {
		events = append(events, ev(fmt.Sprint(i), []string{"anna", "bob", "carl"}[i%3], int64(i), 1))
	}
	log := scaleout.NewMemoryLog(1)
	if err := scaleout.Publish(ctx, log, "b", time.Time{}, events); err != nil {
		t.Fatal(err)
	}
	store := &fencedOnce{TrackStore: memory.NewTrackStore()}
	parts := &scaleout.MemoryParts{}
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	w := &scaleout.Worker{Plan: plan, Log: log, Parts: parts, Partitions: []int{0}, Batch: 7,
		Store:  func(context.Context, int) (kpi.TrackStore, error) { return store, nil },
		Leases: &scaleout.MemoryLeases{TTL: time.Minute}, Holder: "a", LeaseEvery: 10 * time.Millisecond}
	go func() { done <- w.Run(wctx) }()
	src := &scaleout.Source{Log: log, Parts: parts}
	for deadline := time.Now().Add(30 * time.Second); store.TrackStore.Len() < 5; time.Sleep(10 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("the worker stopped: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the partition committed %d batches of 5", store.TrackStore.Len())
		}
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	scaleouttest.SameAsBatch(t, plan, src, events, known(10))
}

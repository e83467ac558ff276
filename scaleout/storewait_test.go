package scaleout_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
)

// alwaysFenced is a partition's store that another writer commits to
// whenever this one does, as one written by a worker outside the leases.
type alwaysFenced struct{ *memory.TrackStore }

func (alwaysFenced) Commit(context.Context, *kpi.TrackBatch) error {
	return fmt.Errorf("test: %w", scaleout.ErrFenced)
}

// A worker with leases whose partition's store is held by a writer outside
// the leases (in use for ever, or fenced at every commit) stops after
// StoreWait with an error naming the partition and what to do. It started
// the partition again at every round for ever, and said nothing.
func TestLeasedWorkerStopsOnAStoreHeldOutsideTheLeases(t *testing.T) {
	ctx := context.Background()
	plan, _, ev := wonPlan(t)
	log := scaleout.NewMemoryLog(1)
	if err := scaleout.Publish(ctx, log, "b", time.Time{}, []kpi.Event{ev("1", "anna", 5, 1)}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		store kpi.TrackStore
		last  string
	}{
		{"in use", &inUse{TrackStore: memory.NewTrackStore(), Busy: 1 << 30}, "track: test: store is in use by another tracker"},
		{"fenced", alwaysFenced{memory.NewTrackStore()}, "offsets 1 to 1: test: another writer committed to the partition's store"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const wait = 300 * time.Millisecond
			w := &scaleout.Worker{Plan: plan, Log: log, Parts: &scaleout.MemoryParts{}, Partitions: []int{0},
				Store:  func(context.Context, int) (kpi.TrackStore, error) { return tc.store, nil },
				Leases: &scaleout.MemoryLeases{TTL: time.Minute}, Holder: "a", LeaseEvery: 10 * time.Millisecond, StoreWait: wait}
			wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			defer cancel()
			start := time.Now()
			err := w.Run(wctx)
			if wctx.Err() != nil {
				t.Fatalf("the worker ran until stopped (%v): it did not report the store held outside the leases", err)
			}
			if took := time.Since(start); took < wait {
				t.Errorf("the worker stopped after %v, before StoreWait (%v)", took, wait)
			}
			want := "partition 0: its store refused every start for 300ms while this worker held the partition's lease (the last: " + tc.last + "): another writer holds it or commits to it outside these leases (a worker on a static share of the partitions, or one given other leases); stop that writer, or give every worker of the partition the same leases"
			if err == nil || err.Error() != want {
				t.Fatalf("the worker: %v\nwant: %s", err, want)
			}
		})
	}
}

// fencedLate is a partition's store that is in use for its first two
// locks and fences its first commit.
type fencedLate struct {
	*fencedOnce
	lock *inUse
}

func (s fencedLate) Lock(ctx context.Context) (func() error, error) { return s.lock.Lock(ctx) }

// A partition that ran for longer than StoreWait before its commit was
// fenced is started again, not stopped for the refusals before it ran: a
// fence after a while is the previous holder's, not a writer's outside
// the leases.
func TestLeasedWorkerCountsRefusalsAnewAfterARun(t *testing.T) {
	ctx := context.Background()
	plan, _, ev := wonPlan(t)
	log := scaleout.NewMemoryLog(1)
	mem := memory.NewTrackStore()
	store := fencedLate{&fencedOnce{TrackStore: mem}, &inUse{TrackStore: mem, Busy: 2}}
	const wait = 200 * time.Millisecond
	w := &scaleout.Worker{Plan: plan, Log: log, Parts: &scaleout.MemoryParts{}, Partitions: []int{0},
		Store:  func(context.Context, int) (kpi.TrackStore, error) { return store, nil },
		Leases: &scaleout.MemoryLeases{TTL: time.Minute}, Holder: "a", LeaseEvery: 10 * time.Millisecond, StoreWait: wait}
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- w.Run(wctx) }()
	for deadline := time.Now().Add(20 * time.Second); store.lock.locks.Load() < 3; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the partition never ran")
		}
	}
	time.Sleep(3 * wait)
	if err := scaleout.Publish(ctx, log, "b", time.Time{}, []kpi.Event{ev("1", "anna", 5, 1)}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); store.TrackStore.Len() < 1; time.Sleep(10 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("the worker stopped: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the record was never committed")
		}
	}
	if n := store.commits.Load(); n != 2 {
		t.Errorf("%d commits, want 2 (the fenced one, then the record's again)", n)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

package scaleout_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
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
			w := leasedWorker(plan, log, tc.store, nil, wait)
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
			want := "partition 0: its store still refused it 300ms or more after this worker took the partition's lease (" + tc.last + "): another writer holds it or commits to it outside these leases (a worker on a static share of the partitions, or one given other leases); stop that writer, or give every worker of the partition the same leases"
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

// A partition whose run started within StoreWait of the lease, and ran
// for longer than StoreWait before its commit was fenced, is started
// again, not stopped for the refusals before it ran: the fence is the
// previous holder's, which committed before it stopped, not a writer's
// outside the leases.
func TestLeasedWorkerCountsRefusalsAnewAfterARun(t *testing.T) {
	ctx := context.Background()
	plan, _, ev := wonPlan(t)
	log := scaleout.NewMemoryLog(1)
	mem := memory.NewTrackStore()
	store := fencedLate{&fencedOnce{TrackStore: mem}, &inUse{TrackStore: mem, Busy: 2}}
	const wait = 200 * time.Millisecond
	w := leasedWorker(plan, log, store, nil, wait)
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

// outsideWriter is a partition's store that another writer commits the
// same records to just before this one does, as a worker outside the
// leases reading the same log: each commit is fenced, and a store loaded
// after it has the records.
type outsideWriter struct{ *memory.TrackStore }

func (s outsideWriter) Commit(ctx context.Context, b *kpi.TrackBatch) error {
	if err := s.TrackStore.Commit(ctx, b); err != nil {
		return err
	}
	return fmt.Errorf("test: %w", scaleout.ErrFenced)
}

// A leased worker whose partition a writer outside the leases also
// commits to, where records come seldom (each run waits longer than
// StoreWait for one, and is fenced at its commit), stops with the error
// naming the partition at the first fence of a run started StoreWait or
// more after it took the lease. Each such run started the count of
// refusals anew, and the worker went on for ever, saying nothing.
func TestLeasedWorkerStopsOnASeldomFencedPartition(t *testing.T) {
	ctx := context.Background()
	plan, _, ev := wonPlan(t)
	log := scaleout.NewMemoryLog(1)
	store := outsideWriter{memory.NewTrackStore()}
	const wait = 100 * time.Millisecond
	w := leasedWorker(plan, log, store, nil, wait)
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- w.Run(wctx) }()
	// A record every 3 StoreWaits: the second is read by a run that
	// started after StoreWait had passed.
	var err error
	stopped := false
	for i := 1; i <= 8 && !stopped; i++ {
		select {
		case err = <-done:
			stopped = true
		case <-time.After(3 * wait):
			if err := scaleout.Publish(ctx, log, fmt.Sprint("b", i), time.Time{}, []kpi.Event{ev(fmt.Sprint(i), "anna", 5, 1)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !stopped {
		select {
		case err = <-done:
		case <-time.After(2 * time.Second):
			t.Fatal("the worker went on after 8 records, each fenced by a writer outside the leases")
		}
	}
	// The run that reads the second record starts after StoreWait; so
	// does the first, on a machine slow enough.
	want := func(offset int) string {
		return fmt.Sprintf("partition 0: its store still refused it 100ms or more after this worker took the partition's lease (offsets %d to %d: test: another writer committed to the partition's store): another writer holds it or commits to it outside these leases (a worker on a static share of the partitions, or one given other leases); stop that writer, or give every worker of the partition the same leases", offset, offset)
	}
	if err == nil || (err.Error() != want(2) && err.Error() != want(1)) {
		t.Fatalf("the worker: %v\nwant: %s", err, want(2))
	}
}

// gapLeases lend a partition, then refuse to lend it again for gap, as
// leases that lapsed while another holder had the partition for a while.
type gapLeases struct {
	scaleout.MemoryLeases
	gap   time.Duration
	mu    sync.Mutex
	until time.Time
}

func (l *gapLeases) Take(ctx context.Context, p int, holder string) (bool, error) {
	l.mu.Lock()
	switch {
	case l.until.IsZero():
		l.until = time.Now().Add(l.gap)
	case time.Now().Before(l.until):
		l.mu.Unlock()
		return false, nil
	}
	l.mu.Unlock()
	return l.MemoryLeases.Take(ctx, p, holder)
}

// StoreWait counts from the take of the lease the worker holds now: a
// partition whose lease it held, then did not for longer than StoreWait,
// then took again and found its store in use at once (its holder in
// between stopping) is started again, not stopped as if a writer outside
// the leases held its store.
func TestLeasedWorkerCountsStoreWaitFromTheLeaseItHolds(t *testing.T) {
	ctx := context.Background()
	plan, _, _ := wonPlan(t)
	log := scaleout.NewMemoryLog(1)
	const wait = 100 * time.Millisecond
	store := &inUse{TrackStore: memory.NewTrackStore(), Busy: 2}
	w := leasedWorker(plan, log, store, &gapLeases{MemoryLeases: scaleout.MemoryLeases{TTL: time.Minute}, gap: 3 * wait}, wait)
	runsUntil(ctx, t, w, func() bool { return store.locks.Load() >= 3 })
}

// loseOnce is a lease that is lost once, at the first Keep after, and
// taken again at once.
type loseOnce struct {
	scaleout.MemoryLeases
	after time.Duration
	mu    sync.Mutex
	first time.Time
	lost  bool
}

func (l *loseOnce) Take(ctx context.Context, p int, holder string) (bool, error) {
	l.mu.Lock()
	if l.first.IsZero() {
		l.first = time.Now()
	}
	l.mu.Unlock()
	return l.MemoryLeases.Take(ctx, p, holder)
}

func (l *loseOnce) Keep(ctx context.Context, p int, holder string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.lost && time.Since(l.first) >= l.after {
		l.lost = true
		return fmt.Errorf("test: %w", scaleout.ErrLeaseLost)
	}
	return l.MemoryLeases.Keep(ctx, p, holder)
}

// refusedSecond is a partition's store in use at its second lock only.
type refusedSecond struct {
	*memory.TrackStore
	locks atomic.Int32
}

func (s *refusedSecond) Lock(ctx context.Context) (func() error, error) {
	if s.locks.Add(1) == 2 {
		return nil, fmt.Errorf("test: %w", kpi.ErrStoreInUse)
	}
	return s.TrackStore.Lock(ctx)
}

// A partition whose lease the worker lost after StoreWait, and took again
// at once, counts StoreWait from the new lease: a store in use at the
// first start after it is the stopping holder's between, and the
// partition is started again.
func TestLeasedWorkerCountsStoreWaitAnewAfterALostLease(t *testing.T) {
	ctx := context.Background()
	plan, _, _ := wonPlan(t)
	log := scaleout.NewMemoryLog(1)
	const wait = 100 * time.Millisecond
	store := &refusedSecond{TrackStore: memory.NewTrackStore()}
	w := leasedWorker(plan, log, store, &loseOnce{MemoryLeases: scaleout.MemoryLeases{TTL: time.Minute}, after: 2 * wait}, wait)
	runsUntil(ctx, t, w, func() bool { return store.locks.Load() >= 3 })
}

// runsUntil runs w until ran reports true, failing t if w stops before
// (or within 20 s, never), and then stops it.
func runsUntil(ctx context.Context, t *testing.T, w *scaleout.Worker, ran func() bool) {
	t.Helper()
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- w.Run(wctx) }()
	for deadline := time.Now().Add(20 * time.Second); !ran(); time.Sleep(10 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("the worker stopped: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the partition did not run as it should within 20 s")
		}
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// leasedWorker is a worker of partition 0 of log, over store, that takes
// its lease from leases (nil: MemoryLeases) every 10 ms and waits
// StoreWait wait.
func leasedWorker(plan *goalkit.Plan, log scaleout.Log, store kpi.TrackStore, leases scaleout.Leases, wait time.Duration) *scaleout.Worker {
	if leases == nil {
		leases = &scaleout.MemoryLeases{TTL: time.Minute}
	}
	return &scaleout.Worker{Plan: plan, Log: log, Parts: &scaleout.MemoryParts{}, Partitions: []int{0},
		Store:  func(context.Context, int) (kpi.TrackStore, error) { return store, nil },
		Leases: leases, Holder: "a", LeaseEvery: 10 * time.Millisecond, StoreWait: wait}
}

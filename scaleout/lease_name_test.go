package scaleout_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
)

// TestWorkersOfOneNameShareNoLease starts two workers with one holder
// name: each partition is run by one of them, once, and their merged
// report is the batch one. With the name alone as the leases' holder each
// took every lease the other had, both ran every partition, and the
// partitions were opened again and again.
func TestWorkersOfOneNameShareNoLease(t *testing.T) {
	ctx := context.Background()
	plan, _, ev := wonPlan(t)
	log := scaleout.NewMemoryLog(4)
	parts, st := &scaleout.MemoryParts{}, &scaleouttest.Stores{}
	var opened atomic.Int32
	leases := &scaleout.MemoryLeases{TTL: time.Minute}
	var ws [2]*scaleout.Worker
	var done [2]chan error
	wctx, stop := context.WithCancel(ctx)
	for i := range ws {
		ws[i] = &scaleout.Worker{Plan: plan, Log: log, Parts: parts, Partitions: []int{0, 1, 2, 3},
			Leases: leases, Holder: "a", LeaseEvery: 5 * time.Millisecond,
			Store: func(ctx context.Context, p int) (kpi.TrackStore, error) {
				opened.Add(1)
				return st.Open(ctx, p)
			}}
		done[i] = make(chan error, 1)
		go func() { done[i] <- ws[i].Run(wctx) }()
	}
	var events []kpi.Event
	for i := range 40 {
		events = append(events, ev(fmt.Sprint(i), []string{"anna", "boris"}[i%2], int64(i), 1))
	}
	if err := scaleout.Publish(ctx, log, "b", time.Time{}, events); err != nil {
		t.Fatal(err)
	}
	scaleouttest.EventuallySameAsBatch(t, plan, &scaleout.Source{Log: log, Parts: parts}, events, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), 10*time.Second)
	time.Sleep(100 * time.Millisecond) // twenty rounds of leases
	n := opened.Load()
	stop()
	for i := range done {
		if err := <-done[i]; err != nil {
			t.Fatalf("worker %d: %v", i, err)
		}
	}
	if ws[0].LeaseHolder() == ws[1].LeaseHolder() {
		t.Fatalf("two workers take their leases as %s", ws[0].LeaseHolder())
	}
	if n != 4 {
		t.Fatalf("the 4 partitions' stores were opened %d times, want each once", n)
	}
}

// TestStoppedWorkerOpensNoStore stops a worker with leases: it opens no
// partition's store after it was stopped. The round after the stop could
// take its leases again and open every store, as its partitions ended.
func TestStoppedWorkerOpensNoStore(t *testing.T) {
	plan, _, _ := wonPlan(t)
	st := &scaleouttest.Stores{}
	for range 20 {
		var opened atomic.Int32
		w := &scaleout.Worker{Plan: plan, Log: scaleout.NewMemoryLog(4), Parts: &scaleout.MemoryParts{}, Partitions: []int{0, 1, 2, 3},
			Leases: &scaleout.MemoryLeases{TTL: time.Minute}, Holder: "a", LeaseEvery: time.Millisecond,
			Store: func(ctx context.Context, p int) (kpi.TrackStore, error) {
				opened.Add(1)
				return st.Open(ctx, p)
			}}
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- w.Run(ctx) }()
		for opened.Load() < 4 {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(5 * time.Millisecond)
		stop()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if n := opened.Load(); n != 4 {
			t.Fatalf("the 4 partitions' stores were opened %d times, want each once", n)
		}
	}
}

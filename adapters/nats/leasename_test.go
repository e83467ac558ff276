package nats_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/nats/natstest"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
)

// TestWorkersOfOneName starts two workers with one holder name on a
// tenant's leases: each partition is run by one of them, its store opened
// once, and the merged report is the batch one. With the name alone as
// the leases' holder both held every lease, and each partition's store,
// fenced, was loaded again and again.
func TestWorkersOfOneName(t *testing.T) {
	ctx := context.Background()
	e := connect(t, natstest.Start(t, 1))
	plan := goalkittest.CompilePlan(t, planYAML)
	tn := e.tenant(t, "onename", 3)
	var opened atomic.Int32
	var ws [2]*scaleout.Worker
	var done [2]chan error
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	for i := range ws {
		ws[i] = worker(plan, tn, scaleout.Assignment{I: 0, N: 1}, false)
		ws[i].Leases, ws[i].Holder, ws[i].LeaseEvery = tn.Leases(), "a", 20*time.Millisecond
		ws[i].Store = func(ctx context.Context, p int) (kpi.TrackStore, error) {
			opened.Add(1)
			return tn.Store(ctx, p)
		}
		done[i] = make(chan error, 1)
		go func() { done[i] <- ws[i].Run(wctx) }()
	}
	events := workload(t, 300)
	publish(t, tn, "1", events)
	eventuallySame(t, plan, tn, goalkittest.Final(events))
	time.Sleep(200 * time.Millisecond) // ten rounds of leases
	n := opened.Load()
	stop()
	for i := range done {
		if err := <-done[i]; err != nil {
			t.Fatalf("worker %d: %v", i, err)
		}
	}
	if n != 3 {
		t.Fatalf("the 3 partitions' stores were opened %d times, want each once", n)
	}
}

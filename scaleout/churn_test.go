package scaleout_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
)

// TestWorkersJoinAndLeaveWhileEventsArrive publishes a workload with
// corrections and retractions in chunks while workers with leases join,
// leave (giving their leases back) and die (keeping them until they
// lapse), snapshotting as they go. Once the last chunk is in, the merged
// report equals the report of one tracker that was given every version,
// in publish order.
func TestWorkersJoinAndLeaveWhileEventsArrive(t *testing.T) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(t, scaleouttest.PlanYAML)
	events, err := goalkittest.Workload{N: 1200, Seed: 11, CorrectedPerMille: 150, RetractedPerMille: 80}.Events()
	if err != nil {
		t.Fatal(err)
	}
	log := scaleout.NewMemoryLog(5)
	st, parts := &scaleouttest.PruningStores{}, &scaleout.MemoryParts{}
	leases := &scaleout.MemoryLeases{TTL: 150 * time.Millisecond}
	type running struct {
		stop context.CancelFunc
		done chan error
	}
	var mu sync.Mutex
	workers := map[string]*running{}
	start := func(holder string, l scaleout.Leases) {
		wctx, stop := context.WithCancel(ctx)
		r := &running{stop: stop, done: make(chan error, 1)}
		w := &scaleout.Worker{Plan: plan, Options: []goalkit.EvalOption{scaleouttest.Team}, Log: log, Store: st.Open, Parts: parts,
			Partitions: []int{0, 1, 2, 3, 4}, Batch: 13, SnapshotEvery: time.Nanosecond,
			Leases: l, Holder: holder, LeaseEvery: 20 * time.Millisecond, MaxPartitions: 3}
		go func() { r.done <- w.Run(wctx) }()
		mu.Lock()
		workers[holder] = r
		mu.Unlock()
	}
	stop := func(holder string) {
		t.Helper()
		mu.Lock()
		r := workers[holder]
		delete(workers, holder)
		mu.Unlock()
		r.stop()
		if err := <-r.done; err != nil {
			t.Fatalf("worker %s: %v", holder, err)
		}
	}
	defer func() {
		for h := range workers {
			stop(h)
		}
	}()
	start("a", leases)
	start("b", scaleouttest.Crashing{Leases: leases})
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	const chunks = 8
	for i := range chunks {
		chunk := events[i*len(events)/chunks : (i+1)*len(events)/chunks]
		if err := scaleout.Publish(ctx, log, fmt.Sprint("chunk ", i), at.Add(time.Duration(i)*time.Minute), chunk); err != nil {
			t.Fatal(err)
		}
		switch i {
		case 1:
			start("c", leases)
		case 2:
			stop("b") // dies: its leases lapse
		case 3:
			stop("a") // leaves: its leases are free at once
			start("d", leases)
		case 5:
			start("e", scaleouttest.Crashing{Leases: leases})
		case 6:
			stop("c")
		}
		time.Sleep(30 * time.Millisecond)
	}
	// One tracker given every version, in the order they were published.
	tr, err := plan.Track(ctx, nil, scaleouttest.Team)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if err := tr.Apply(ctx, events...); err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	want, err := tr.Report(ctx, asOf)
	if err != nil {
		t.Fatal(err)
	}
	src := &scaleout.Source{Log: log, Parts: parts}
	var got *goalkit.Report
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		got, err = plan.Evaluate(ctx, scaleouttest.PartsOnly{Source: src}, asOf, scaleouttest.Team)
		if err == nil && reportJSON(t, "merged", got) == reportJSON(t, "tracker", want) || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	scaleouttest.SameReport(t, "merged report", got, want)
}

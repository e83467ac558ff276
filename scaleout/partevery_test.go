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

// TestStoppedWorkerPutsItsLastPart stops a worker whose PartEvery held its
// later parts back, right after its last commit: the part it leaves is of
// everything it committed, so the merged report has every event without
// waiting for another worker to start on the partition.
func TestStoppedWorkerPutsItsLastPart(t *testing.T) {
	ctx := context.Background()
	plan, known, ev := wonPlan(t)
	var events []kpi.Event
	for i := range 20 {
		events = append(events, ev(fmt.Sprint(i), "anna", int64(i), 1))
	}
	log := scaleout.NewMemoryLog(1)
	if err := scaleout.Publish(ctx, log, "b", time.Time{}, events); err != nil {
		t.Fatal(err)
	}
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	st := &scaleouttest.Stores{}
	var commits atomic.Int32
	store := func(ctx context.Context, p int) (kpi.TrackStore, error) {
		s, err := st.Open(ctx, p)
		// 20 records in batches of 7: stopped after the third commit.
		return scaleouttest.KillAfter{TrackStore: s, N: &commits, At: 3, Kill: stop}, err
	}
	parts := &scaleout.MemoryParts{}
	w := &scaleout.Worker{Plan: plan, Log: log, Store: store, Parts: parts, Partitions: []int{0}, Batch: 7, PartEvery: time.Hour}
	if err := w.Run(wctx); err != nil {
		t.Fatal(err)
	}
	if n := commits.Load(); n != 3 {
		t.Fatalf("%d commits, want 3", n)
	}
	scaleouttest.SameAsBatch(t, plan, &scaleout.Source{Log: log, Parts: parts}, events, known(10))
}

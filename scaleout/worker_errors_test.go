package scaleout_test

import (
	"context"
	"errors"
	"fmt"
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
		data, err := scaleout.EncodeEvent(&[]kpi.Event{ev(fmt.Sprint(i), "anna", 1, 1)}[0])
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

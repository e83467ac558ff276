package scaleout_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
)

// oneMessage is a store that keeps a batch as one message of at most
// 1 MiB (NATS's default maximum payload), counting its events as
// EncodeEvent writes them, and sees a commit through whatever its
// context, as the NATS store does.
type oneMessage struct {
	*memory.TrackStore
	largest *int
}

func (s oneMessage) Commit(ctx context.Context, b *kpi.TrackBatch) error {
	size := 0
	for i := range b.Events {
		data, err := scaleout.EncodeEvent(&b.Events[i])
		if err != nil {
			return err
		}
		size += len(data)
	}
	if size > 1<<20 {
		return fmt.Errorf("a batch of %d bytes: maximum payload exceeded", size)
	}
	*s.largest = max(*s.largest, size)
	// A commit under way is seen through, as the NATS store's is.
	return s.TrackStore.Commit(context.WithoutCancel(ctx), b)
}

// TestBatchesFitOneMessage: records of 5 KB each, 300 of them read at
// once, are committed in batches of at most 512 KiB of records, which fit
// a store that keeps a batch as one message of 1 MiB. The worker committed
// all 300 in one batch of 1.5 MB, which such a store refuses, and stopped
// at every restart on the same batch.
func TestBatchesFitOneMessage(t *testing.T) {
	ctx := context.Background()
	plan, known, ev := wonPlan(t)
	log := scaleout.NewMemoryLog(1)
	var evs []kpi.Event
	for i := range 300 {
		evs = append(evs, ev(fmt.Sprintf("%s-%d", strings.Repeat("x", 5000), i), "anna", 1, 1))
	}
	if err := scaleout.Publish(ctx, log, "big", time.Time{}, evs); err != nil {
		t.Fatal(err)
	}
	stores := map[int]*memory.TrackStore{0: memory.NewTrackStore()}
	largest := 0
	parts := &scaleout.MemoryParts{}
	// A worker killed as its first commit returns, with records read and
	// not committed yet, commits no more of them; then one drains.
	kctx, kill := context.WithCancel(ctx)
	defer kill()
	var commits atomic.Int32
	k := &scaleout.Worker{Plan: plan, Log: log, Parts: parts, Partitions: []int{0},
		Store: func(_ context.Context, p int) (kpi.TrackStore, error) {
			return scaleouttest.KillAfter{TrackStore: oneMessage{stores[p], &largest}, N: &commits, At: 1, Kill: kill}, nil
		}}
	if err := k.Run(kctx); err != nil {
		t.Fatal(err)
	}
	if n := stores[0].Len(); n != 1 {
		t.Fatalf("the killed worker committed %d batches, want 1", n)
	}
	w := &scaleout.Worker{Plan: plan, Log: log, Parts: parts, Partitions: []int{0}, Drain: true,
		Store: func(_ context.Context, p int) (kpi.TrackStore, error) { return oneMessage{stores[p], &largest}, nil }}
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if largest > 512<<10+5100 {
		t.Fatalf("a batch of %d bytes of events", largest)
	}
	got, err := plan.Evaluate(ctx, scaleouttest.PartsOnly{Source: &scaleout.Source{Log: log, Parts: parts}}, known(10))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := got.Values.Value("won", "anna", plan.Periods()[0]); v.Decimal.String() != "300" {
		t.Fatalf("anna won %s, want 300", v.Decimal)
	}
}

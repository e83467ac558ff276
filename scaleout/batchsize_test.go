package scaleout_test

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
)

// oneMessage is a store that keeps a batch as one message of at most
// limit bytes (0: 1 MiB, NATS's default maximum payload, which it does not
// say as a scaleout.BatchLimiter), counting its events as EncodeEvent
// writes them, and sees a commit through whatever its context, as the
// NATS store does.
type oneMessage struct {
	*memory.TrackStore
	largest *int
	limit   int
}

func (s oneMessage) MaxBatchBytes() int { return s.limit }

func (s oneMessage) Commit(ctx context.Context, b *kpi.TrackBatch) error {
	size := 0
	for i := range b.Events {
		data, err := scaleout.EncodeEvent(&b.Events[i])
		if err != nil {
			return err
		}
		size += len(data)
	}
	if limit := cmp.Or(s.limit, 1<<20); size > limit {
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
	plan, known, log := bigRecords(t, 300)
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
			return scaleouttest.KillAfter{TrackStore: oneMessage{stores[p], &largest, 0}, N: &commits, At: 1, Kill: kill}, nil
		}}
	if err := k.Run(kctx); err != nil {
		t.Fatal(err)
	}
	if n := stores[0].Len(); n != 1 {
		t.Fatalf("the killed worker committed %d batches, want 1", n)
	}
	w := &scaleout.Worker{Plan: plan, Log: log, Parts: parts, Partitions: []int{0}, Drain: true,
		Store: func(_ context.Context, p int) (kpi.TrackStore, error) { return oneMessage{stores[p], &largest, 0}, nil }}
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if largest > 512<<10+5100 {
		t.Fatalf("a batch of %d bytes of events", largest)
	}
	annaWon(t, plan, log, parts, known(10), "300")
}

// annaWon checks what anna won in the plan's first period, merged from the
// parts alone.
func annaWon(t *testing.T, plan *goalkit.Plan, log scaleout.Log, parts scaleout.PartStore, asOf time.Time, want string) {
	t.Helper()
	got, err := plan.Evaluate(context.Background(), scaleouttest.PartsOnly{Source: &scaleout.Source{Log: log, Parts: parts}}, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := got.Values.Value("won", "anna", plan.Periods()[0]); v.Decimal.String() != want {
		t.Fatalf("anna won %s, want %s", v.Decimal, want)
	}
}

// TestBatchesFitTheStoresLimit: a store that says it keeps a batch in a
// message of 128 KiB (a NATS server of that maximum payload) is given
// batches of at most half of it of records. The worker gave it 512 KiB,
// which it refused at every restart, though each record fitted.
func TestBatchesFitTheStoresLimit(t *testing.T) {
	ctx := context.Background()
	plan, known, log := bigRecords(t, 100)
	largest, parts := 0, &scaleout.MemoryParts{}
	st := memory.NewTrackStore()
	w := &scaleout.Worker{Plan: plan, Log: log, Parts: parts, Partitions: []int{0}, Drain: true,
		Store: func(context.Context, int) (kpi.TrackStore, error) { return oneMessage{st, &largest, 128 << 10}, nil }}
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if largest > 64<<10+5100 {
		t.Fatalf("a batch of %d bytes of events", largest)
	}
	annaWon(t, plan, log, parts, known(10), "100")
}

// bigRecords is the plan of wonPlan and a log of one partition that holds
// n records of 5 KB each, deals won by anna.
func bigRecords(t *testing.T, n int) (*goalkit.Plan, func(k int) time.Time, scaleout.Log) {
	t.Helper()
	plan, known, ev := wonPlan(t)
	log := scaleout.NewMemoryLog(1)
	var evs []kpi.Event
	for i := range n {
		evs = append(evs, ev(fmt.Sprintf("%s-%d", strings.Repeat("x", 5000), i), "anna", 1, 1))
	}
	if err := scaleout.Publish(context.Background(), log, "big", time.Time{}, evs); err != nil {
		t.Fatal(err)
	}
	return plan, known, log
}

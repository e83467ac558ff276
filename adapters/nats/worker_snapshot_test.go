package nats_test

import (
	"context"
	"testing"
	"time"

	gknats "github.com/goalkit/goalkit/adapters/nats"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
)

// TestWorkerSnapshotsAndPrunes runs, on a 3-node cluster, a worker that
// snapshots its partitions after every batch and prunes their stores; it
// is stopped, and a new worker continues from the snapshots: the state
// stream holds one message a partition where the workers committed many,
// and stale copies of versions published after the restart (originals of
// corrected and retracted events, under another batch name, with instants
// older than their replacements') are still dropped.
func TestWorkerSnapshotsAndPrunes(t *testing.T) {
	c, e, plan := cluster3(t)
	ctx := context.Background()
	tn := e.tenant(t, "snapworker", 2)
	// 3000 events, then their corrections and retractions: the first
	// publish holds most of those.
	versions := workload(t, 3000)
	cut := len(versions) - 250
	first, rest := versions[:cut], versions[cut:]
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	publishAt(t, tn, "first", at, first)

	w := worker(plan, tn, scaleout.Assignment{I: 0, N: 1}, false)
	w.SnapshotEvery = time.Nanosecond
	wctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- w.Run(wctx) }()
	eventuallySame(t, plan, tn, goalkittest.Final(first))
	// The part of a batch is put before its snapshot: the worker is
	// stopped once it has pruned after its last batch, or after a while.
	var committed, held uint64
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if committed, held = c.StreamState(t, "GOALKIT_snapworker_STATE"); held == 2 {
			break
		}
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// Over 3000 versions in batches of at most 200 over 2 partitions: at
	// least 15 batches, of which each partition keeps its last.
	if committed < 15 || held != 2 {
		t.Fatalf("the workers committed %d batches and the state stream holds %d; want at least 15, and 2", committed, held)
	}
	for p := range 2 {
		if n := subjectMsgs(t, e.js, "snapworker", p); n != 1 {
			t.Fatalf("partition %d: the state stream holds %d batches, want 1", p, n)
		}
	}

	// Stale copies (the first version of each event that the first
	// publish corrected or retracted, stamped no later than it was), then
	// the rest, read by a new worker on a tenant opened again.
	publishAt(t, tn, "stale", at, originals(first))
	publishAt(t, tn, "rest", at.Add(time.Hour), rest)
	reopened, err := gknats.Open(ctx, e.js, "snapworker")
	if err != nil {
		t.Fatal(err)
	}
	w2 := worker(plan, reopened, scaleout.Assignment{I: 0, N: 1}, true)
	w2.SnapshotEvery = time.Hour // only the one at the end of the drain
	dctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	if err := w2.Run(dctx); err != nil {
		t.Fatal(err)
	}
	sameAsBatch(t, plan, reopened, goalkittest.Final(versions))
	if committed2, held2 := c.StreamState(t, "GOALKIT_snapworker_STATE"); committed2 <= committed || held2 != 2 {
		t.Fatalf("after the second worker: %d batches committed, %d held; want more than %d, and 2", committed2, held2, committed)
	}
}

// publishAt publishes events as batch, stamped at at.
func publishAt(t *testing.T, tn *gknats.Tenant, batch string, at time.Time, events []kpi.Event) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := scaleout.Publish(ctx, tn, batch, at, events); err != nil {
		t.Fatal(err)
	}
}

// originals returns the first version of each ID that has later ones, in
// order: published at the instant of the versions, each is stamped no
// later than its original was, and older than what replaced it.
func originals(versions []kpi.Event) []kpi.Event {
	count := map[string]int{}
	for _, e := range versions {
		count[e.ID]++
	}
	var out []kpi.Event
	for _, e := range versions {
		if count[e.ID] > 1 {
			out = append(out, e)
			count[e.ID] = 0
		}
	}
	return out
}

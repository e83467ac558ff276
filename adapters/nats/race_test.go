package nats_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	gknats "github.com/goalkit/goalkit/adapters/nats"
	"github.com/goalkit/goalkit/kpi"
)

// TestRacesOnAReplicatedCluster runs writers of one partition's store and
// of its part at once on a 3-node cluster whose streams keep 3 replicas. A
// replicated stream refuses a write that expects a subject's last sequence
// while another such write of the subject is under way with another code
// (10164) than a write that expects the wrong one (10071): both say that
// another writer got there, and each is told so (ErrFenced, a part
// stored).
func TestRacesOnAReplicatedCluster(t *testing.T) {
	_, e, _ := cluster3(t)
	tn := e.tenant(t, "races", 1)
	ctx := context.Background()
	const writers = 8
	for round := range 5 {
		stores := make([]kpi.TrackStore, writers)
		for i := range stores {
			s, err := tn.Store(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Load(ctx, func(*kpi.TrackBatch) error { return nil }); err != nil {
				t.Fatal(err)
			}
			stores[i] = s
		}
		errs := make([]error, writers)
		var wg sync.WaitGroup
		for i, s := range stores {
			wg.Go(func() { errs[i] = s.Commit(ctx, &kpi.TrackBatch{}) })
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, gknats.ErrFenced):
				t.Fatalf("round %d: a rival's commit: %v, want ErrFenced", round, err)
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: %d commits of %d rivals went in, want 1", round, ok, writers)
		}
	}
	// A part is made at an offset of the events stream (Range refuses one
	// past its end): the stream holds every offset the writers put at.
	evs := make([]kpi.Event, 5*writers)
	for i := range evs {
		evs[i] = kpi.Event{ID: fmt.Sprint("e", i), Kind: "deal_won", Time: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), Actor: "1"}
	}
	publish(t, tn, "offsets", evs)
	parts := tn.Parts()
	for round := range 5 {
		errs := make([]error, writers)
		var wg sync.WaitGroup
		for i := range writers {
			pos := uint64(round*writers + i + 1)
			wg.Go(func() { errs[i] = parts.Put(ctx, 0, pos, fmt.Appendf(nil, "part %d", pos)) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		var got string
		if err := parts.Range(ctx, func(_ int, data []byte) error { got = string(data); return nil }); err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprint("part ", (round+1)*writers); got != want {
			t.Fatalf("round %d: the part stored is %q, want %q", round, got, want)
		}
	}
}

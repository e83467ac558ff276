package scaleout_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
)

// Follow leaves out what a worker drops: an older version and one known
// at the instant of one applied (published in batches of their own, which
// Records does not compare), not only an older one as its doc said.
func TestFollowLeavesOutVersionsNotNewer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, known, ev := wonPlan(t)
	log := scaleout.NewMemoryLog(1)
	for i, e := range []kpi.Event{ev("d", "anna", 10, 2), ev("d", "anna", 20, 2), ev("d", "anna", 30, 1), ev("d", "anna", 40, 3)} {
		if err := scaleout.Publish(ctx, log, string(rune('a'+i)), time.Time{}, []kpi.Event{e}); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	var got []string
	caught := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- scaleout.Follow(ctx, log, func(_ context.Context, evs []kpi.Event) error {
			mu.Lock()
			defer mu.Unlock()
			for _, e := range evs {
				got = append(got, e.Amount.Decimal.String()+"@"+e.Known.Sub(known(0)).String())
			}
			return nil
		}, func() { close(caught) })
	}()
	<-caught
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"10@2h0m0s", "40@3h0m0s"}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("Follow applied %v, want %v", got, want)
	}
}

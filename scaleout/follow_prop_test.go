package scaleout_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"pgregory.net/rapid"
)

// TestFollowAppliesWhatAWorkerWouldProp publishes random versions of a few
// IDs (some without Known, some copies, some older than one before them),
// each in a batch of its own, to a log of 1 to 4 partitions, and follows
// it: each ID's versions are applied in the order of a plain loop over the
// publishes that keeps a version without Known, or one whose Known is
// after every Known kept for its ID.
func TestFollowAppliesWhatAWorkerWouldProp(t *testing.T) {
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	rapid.Check(t, func(t *rapid.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		log := scaleout.NewMemoryLog(rapid.IntRange(1, 4).Draw(t, "partitions"))
		n := rapid.IntRange(0, 30).Draw(t, "versions")
		want := map[string][]string{}
		newest := map[string]time.Time{}
		for i := range n {
			id := rapid.SampledFrom([]string{"a", "b", "c", "d", "e"}).Draw(t, "id")
			k := rapid.IntRange(-1, 5).Draw(t, "known") // -1: none
			e := kpi.Event{ID: id, Kind: "won", Time: at, Actor: "anna", Amount: decimalOf(int64(i))}
			if k >= 0 {
				e.Known = at.Add(time.Duration(k) * time.Hour)
			}
			if err := scaleout.Publish(ctx, log, fmt.Sprint("b", i), time.Time{}, []kpi.Event{e}); err != nil {
				t.Fatal(err)
			}
			if e.Known.IsZero() || e.Known.After(newest[id]) {
				if !e.Known.IsZero() {
					newest[id] = e.Known
				}
				want[id] = append(want[id], fmt.Sprint(i))
			}
		}
		var mu sync.Mutex
		got := map[string][]string{}
		caught := make(chan struct{})
		done := make(chan error, 1)
		go func() {
			done <- scaleout.Follow(ctx, log, func(_ context.Context, evs []kpi.Event) error {
				mu.Lock()
				defer mu.Unlock()
				for _, e := range evs {
					got[e.ID] = append(got[e.ID], e.Amount.Decimal.String())
				}
				return nil
			}, func() { close(caught) })
		}()
		select {
		case <-caught:
		case err := <-done:
			t.Fatalf("Follow stopped before it caught up: %v", err)
		}
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("applied %v, want %v", got, want)
		}
	})
}

package memory_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// ImportParallel stops taking parts once ctx is cancelled, into an empty
// store and into one that holds events: a source cut into many small
// parts, each of fewer versions than the count between two checks of
// ctx, ran every part's fn to its end after a cancel, and only then
// returned ctx's error.
func TestImportParallelCancelledStopsTakingParts(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	const parts = 20_000
	for _, filled := range []bool{false, true} {
		s := memory.New(time.UTC)
		if filled {
			if err := s.Apply(kpi.Event{ID: "before", Kind: "call", Time: t0, Actor: "ann"}); err != nil {
				t.Fatal(err)
			}
		}
		want := s.Len()
		ctx, cancel := context.WithCancel(context.Background())
		var ran atomic.Int64
		err := s.ImportParallel(ctx, parts, 0, func(part int, add func(*kpi.Event) error) error {
			ran.Add(1)
			if part == 10 {
				cancel()
			}
			return add(&kpi.Event{ID: fmt.Sprint("e", part), Kind: "call", Time: t0, Actor: "ann"})
		})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("filled %v: %v, want context.Canceled", filled, err)
		}
		// The parts taken before the cancel was seen, a few per goroutine.
		if n := ran.Load(); n > parts/2 {
			t.Errorf("filled %v: %d of %d parts ran after a cancel at part 10", filled, n, parts)
		}
		if s.Len() != want {
			t.Errorf("filled %v: a cancelled import left %d events, want %d", filled, s.Len(), want)
		}
	}
}

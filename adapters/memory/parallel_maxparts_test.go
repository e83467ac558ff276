package memory_test

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// newStore returns an empty store, or one that holds an event when filled.
func newStore(t *testing.T, filled bool) *memory.Store {
	t.Helper()
	s := memory.New(time.UTC)
	if filled {
		if err := s.Apply(ev("before", "call", "ann", t0)); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// ImportParallel refuses a count of parts past MaxParts before it calls
// any fn or allocates anything for the parts: a count of 2^31 − 1 made
// four slices of that many elements (an empty store) or a chunk for every part (a
// store that holds events) before the first fn ran.
func TestImportParallelPastMaxParts(t *testing.T) {
	for _, filled := range []bool{false, true} {
		// MaxParts+1 first: without the bound it imports (no error)
		// rather than asking for 2^31 of everything.
		for _, parts := range []int{memory.MaxParts + 1, math.MaxInt32} {
			s := newStore(t, filled)
			err := s.ImportParallel(context.Background(), parts, 0, func(int, func(*kpi.Event) error) error {
				t.Fatal("fn called")
				return nil
			})
			want := fmt.Sprintf("memory: import of %d parts (at most 1048576)", parts)
			if err == nil || err.Error() != want {
				t.Fatalf("filled %v, %d parts: %v, want %s", filled, parts, err, want)
			}
			if want := map[bool]int{false: 0, true: 1}[filled]; s.Len() != want {
				t.Errorf("filled %v: %d events, want %d", filled, s.Len(), want)
			}
		}
	}
}

// Into a store that holds events, a part of ImportParallel that adds
// nothing costs no chunk: each part's chunk (some 75 KB of dictionaries
// and caches) was made before any fn ran, 750 MB for 10,000 parts.
func TestImportParallelEmptyPartsCostNoChunk(t *testing.T) {
	const parts = 10_000
	s := newStore(t, true)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := s.ImportParallel(context.Background(), parts, 0, func(p int, add func(*kpi.Event) error) error {
		if p == parts-1 {
			e := ev("last", "call", "ann", t0)
			return add(&e)
		}
		return nil
	})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 2 {
		t.Errorf("%d events, want 2", s.Len())
	}
	// A goroutine, a fill and an add a part: a few hundred bytes (a few
	// more with -race).
	if got := after.TotalAlloc - before.TotalAlloc; got > 100<<20 {
		t.Errorf("%d empty parts allocated %d MB", parts, got>>20)
	}
}

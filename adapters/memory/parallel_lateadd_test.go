package memory_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// A part's add of ImportParallel works only while the part's fn runs, into
// an empty store and into one that holds events alike: into a store that
// holds events, part 0's add kept by its fn and called from part 1's fn,
// after part 0's had returned, was taken, its version kept among part 0's.
func TestImportParallelPartAddAfterItsFnReturned(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // the parts run one after the other
	t0 := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	for _, filled := range []bool{false, true} {
		s := memory.New(time.UTC)
		if filled {
			if err := s.Apply(kpi.Event{ID: "before", Kind: "call", Time: t0, Actor: "ann"}); err != nil {
				t.Fatal(err)
			}
		}
		var kept func(*kpi.Event) error
		var lateErr error
		err := s.ImportParallel(context.Background(), 2, 0, func(part int, add func(*kpi.Event) error) error {
			if part == 0 {
				kept = add
				return add(&kpi.Event{ID: "p0", Kind: "call", Time: t0, Actor: "ann"})
			}
			lateErr = kept(&kpi.Event{ID: "late", Kind: "call", Time: t0, Actor: "ann"})
			return add(&kpi.Event{ID: "p1", Kind: "call", Time: t0, Actor: "ann"})
		})
		if err != nil {
			t.Fatalf("filled %v: %v", filled, err)
		}
		if lateErr == nil {
			t.Errorf("filled %v: part 0's add called after its fn returned took the version", filled)
		}
		if _, ok := s.Get("late"); ok {
			t.Errorf("filled %v: the store kept the version of a late add", filled)
		}
		want := 2
		if filled {
			want = 3
		}
		if s.Len() != want {
			t.Errorf("filled %v: %d events, want %d", filled, s.Len(), want)
		}
	}
}

package memory_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// ImportParallel applies the same versions as Apply, part after part, into
// an empty store and into one that holds events, however the versions are
// cut into parts; when a part fails it applies nothing.
func TestImportParallelIsApply(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		importIsApply(t, func(s *memory.Store, versions []kpi.Event, fail error) error {
			cuts := drawCuts(t, len(versions), 5)
			parts := len(cuts) - 1
			failing := rapid.IntRange(0, parts-1).Draw(t, "failing part")
			return s.ImportParallel(context.Background(), parts, len(versions), func(p int, add func(*kpi.Event) error) error {
				if err := addReusing(add, versions[cuts[p]:cuts[p+1]]); err != nil {
					return err
				}
				if p == failing {
					return fail
				}
				return nil
			})
		})
	})
}

// ImportParallel is Apply when the other cores code every part but the
// first into blocks, which join the table once the first part is in: the
// first part waits until the others are taken (left to itself, the
// calling goroutine of a small import often takes every part).
func TestImportParallelFirstPartLast(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one core: every part is applied in place")
	}
	rapid.Check(t, func(t *rapid.T) {
		importIsApply(t, func(s *memory.Store, versions []kpi.Event, fail error) error {
			cuts := drawCuts(t, len(versions), 5)
			parts := len(cuts) - 1
			failing := rapid.IntRange(0, parts-1).Draw(t, "failing part")
			var rest sync.WaitGroup
			rest.Add(parts - 1)
			return s.ImportParallel(context.Background(), parts, len(versions), func(p int, add func(*kpi.Event) error) error {
				if p == 0 {
					rest.Wait()
				} else {
					defer rest.Done()
				}
				if err := addReusing(add, versions[cuts[p]:cuts[p+1]]); err != nil {
					return err
				}
				if p == failing {
					return fail
				}
				return nil
			})
		})
	})
}

// A part's invalid version fails the import with the error of the lowest
// failing part, and nothing is applied.
func TestImportParallelRefuses(t *testing.T) {
	bad := ev("x", "call", "ann", t0)
	bad.Attrs = map[string]any{"weight": 1.5}
	worse := ev("y", "call", "", t0)
	worse.Kind = ""
	s := memory.New(time.UTC)
	if err := s.Apply(ev("old", "call", "ann", t0)); err != nil {
		t.Fatal(err)
	}
	parts := [][]kpi.Event{{ev("a", "call", "ann", t0)}, {ev("b", "call", "ann", t0), bad}, {worse}}
	err := s.ImportParallel(context.Background(), len(parts), 0, func(p int, add func(*kpi.Event) error) error {
		return addReusing(add, parts[p])
	})
	want := `event "x": attribute "weight": unsupported value of type float64 (want string, int64, decimal.Decimal, bool or time.Time)`
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
	if s.Len() != 1 {
		t.Errorf("%d events after a refused import, want 1", s.Len())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = s.ImportParallel(ctx, 2, 0, func(int, func(*kpi.Event) error) error {
		t.Error("fn ran under a canceled context")
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
}

// Into an empty store, ImportParallel applies the part whose turn it is
// in place and codes the others into blocks: whatever the cut and the
// cores, it applies what Apply does, and nothing (an empty store) when a
// part fails.
func TestImportParallelIntoEmpty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		versions := genVersions(t, "versions")
		parts := rapid.IntRange(1, 9).Draw(t, "parts")
		failing := rapid.IntRange(-1, parts-1).Draw(t, "failing part")
		n := rapid.SampledFrom([]int{0, len(versions)}).Draw(t, "n")
		cuts := make([]int, parts+1)
		for p := range cuts {
			cuts[p] = len(versions) * p / parts
		}
		want := memory.New(time.UTC)
		if err := want.Apply(versions...); err != nil {
			t.Fatal(err)
		}
		got := memory.New(time.UTC)
		fail := errors.New("fail")
		err := got.ImportParallel(context.Background(), parts, n, func(p int, add func(*kpi.Event) error) error {
			if err := addReusing(add, versions[cuts[p]:cuts[p+1]]); err != nil {
				return err
			}
			if p == failing {
				return fmt.Errorf("part %d: %w", p, fail)
			}
			return nil
		})
		if failing >= 0 {
			if err == nil || err.Error() != fmt.Sprintf("part %d: fail", failing) {
				t.Fatalf("error %v, want that of part %d", err, failing)
			}
			if got.Len() != 0 || len(live(t, got)) != 0 {
				t.Fatalf("a failed import left %d events", got.Len())
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if g, w := live(t, got), live(t, want); !slices.Equal(g, w) {
			t.Fatalf("ImportParallel gives\n%v\nApply gives\n%v", g, w)
		}
	})
}

// drawCuts draws up to most cuts of n versions into parts: the start of
// each part, then n.
func drawCuts(t *rapid.T, n, most int) []int {
	cuts := []int{0}
	for k := rapid.IntRange(0, most).Draw(t, "cuts"); k > 0; k-- {
		cuts = append(cuts, rapid.IntRange(cuts[len(cuts)-1], n).Draw(t, "cut"))
	}
	return append(cuts, n)
}

package memory_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"
	"time"
	"unsafe"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// addReusing adds versions through one reused Event, Attrs map and ID
// buffer, as a reader hands them over.
func addReusing(add func(*kpi.Event) error, versions []kpi.Event) error {
	var e kpi.Event
	attrs := map[string]any{}
	var id []byte
	for _, v := range versions {
		e = v
		clear(attrs)
		maps.Copy(attrs, v.Attrs)
		e.Attrs = attrs
		id = append(id[:0], v.ID...)
		e.ID = unsafe.String(unsafe.SliceData(id), len(id))
		if err := add(&e); err != nil {
			return err
		}
		for i := range id {
			id[i] = '#'
		}
	}
	return nil
}

// ImportParallel applies the same versions as Apply, part after part, into
// an empty store and into one that holds events, however the versions are
// cut into parts; when a part fails it applies nothing.
func TestImportParallelIsApply(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		before := genVersions(t, "before")
		versions := genVersions(t, "versions")
		want := memory.New(time.UTC)
		if err := want.Apply(append(slices.Clone(before), versions...)...); err != nil {
			t.Fatal(err)
		}
		cuts := []int{0}
		for k := rapid.IntRange(0, 5).Draw(t, "cuts"); k > 0; k-- {
			cuts = append(cuts, rapid.IntRange(cuts[len(cuts)-1], len(versions)).Draw(t, "cut"))
		}
		cuts = append(cuts, len(versions))
		parts := len(cuts) - 1
		got := memory.New(time.UTC)
		if err := got.Apply(before...); err != nil {
			t.Fatal(err)
		}
		kept := live(t, got)
		stop := errors.New("stop")
		failing := rapid.IntRange(0, parts-1).Draw(t, "failing part")
		err := got.ImportParallel(context.Background(), parts, func(p int, add func(*kpi.Event) error) error {
			if err := addReusing(add, versions[cuts[p]:cuts[p+1]]); err != nil {
				return err
			}
			if p == failing {
				return stop
			}
			return nil
		})
		if err != stop {
			t.Fatalf("failed import: %v", err)
		}
		if l := live(t, got); !slices.Equal(l, kept) {
			t.Fatalf("a failed import changed the store:\n%v\nwant\n%v", l, kept)
		}
		err = got.ImportParallel(context.Background(), parts, func(p int, add func(*kpi.Event) error) error {
			return addReusing(add, versions[cuts[p]:cuts[p+1]])
		})
		if err != nil {
			t.Fatal(err)
		}
		if g, w := live(t, got), live(t, want); !slices.Equal(g, w) {
			t.Fatalf("ImportParallel gives\n%v\nApply gives\n%v", g, w)
		}
		if got.Len() != want.Len() {
			t.Fatalf("Len %d, want %d", got.Len(), want.Len())
		}
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
	err := s.ImportParallel(context.Background(), len(parts), func(p int, add func(*kpi.Event) error) error {
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
	err = s.ImportParallel(ctx, 2, func(int, func(*kpi.Event) error) error {
		t.Error("fn ran under a canceled context")
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
}

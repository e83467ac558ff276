package memory_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"
	"unsafe"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// genVersions draws event versions over a few ids: new events, corrections,
// retractions and re-instatements.
func genVersions(t *rapid.T, label string) []kpi.Event {
	return drawVersions(t, label, []string{"1", "2", "17", "a", "b"}, 40, 5, func(id string) kpi.Event {
		e := kpi.Event{
			ID:    id,
			Kind:  rapid.SampledFrom([]string{"call", "deal.won"}).Draw(t, label+" kind"),
			Actor: rapid.SampledFrom([]string{"ann", "bob"}).Draw(t, label+" actor"),
			Time:  t0.Add(time.Duration(rapid.IntRange(0, 100).Draw(t, label+" minute")) * time.Minute),
		}
		if rapid.Bool().Draw(t, label+" amount") {
			e.Amount = decimal.NewNullDecimal(decimal.New(rapid.Int64Range(0, 99999).Draw(t, label+" units"), -2))
			e.Currency = "RUB"
		}
		if rapid.Bool().Draw(t, label+" attrs") {
			e.Attrs = map[string]any{"source": rapid.SampledFrom([]string{"web", "partner"}).Draw(t, label+" source")}
		}
		return e
	})
}

// drawVersions draws up to most versions over ids: one in retract a
// retraction, the others drawn by event for the id drawn.
func drawVersions(t *rapid.T, label string, ids []string, most, retract int, event func(id string) kpi.Event) []kpi.Event {
	out := make([]kpi.Event, rapid.IntRange(0, most).Draw(t, label+" n"))
	for i := range out {
		id := rapid.SampledFrom(ids).Draw(t, label+" id")
		if rapid.IntRange(0, retract-1).Draw(t, label+" deleted") == 0 {
			out[i] = kpi.Event{ID: id, Deleted: true}
			continue
		}
		out[i] = event(id)
	}
	return out
}

// live returns every live event of a store, rendered.
func live(t interface{ Fatal(...any) }, s *memory.Store) []string {
	var out []string
	err := s.Scan(context.Background(), kpi.Query{}, func(e *kpi.Event) error {
		out = append(out, fmt.Sprintf("%s %s %s %s %v %s %v", e.ID, e.Kind, e.Actor, e.Time.Format(time.RFC3339), e.Amount, e.Currency, e.Attrs))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// importReusing imports versions through one reused Event, Attrs map and ID
// buffer, as a file reader hands them over.
func importReusing(s *memory.Store, versions []kpi.Event, fail error) error {
	return s.Import(context.Background(), func(add func(*kpi.Event) error) error {
		if err := addReusing(add, versions); err != nil {
			return err
		}
		return fail
	})
}

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
			id[i] = '#' // the reader reuses its bytes
		}
	}
	return nil
}

// importIsApply checks that imp, into an empty store and into one that
// holds events, applies the versions Apply does, and that it applies
// nothing when it fails (with fail).
func importIsApply(t *rapid.T, imp func(s *memory.Store, versions []kpi.Event, fail error) error) {
	before := genVersions(t, "before")
	versions := genVersions(t, "versions")
	want := memory.New(time.UTC)
	if err := want.Apply(append(slices.Clone(before), versions...)...); err != nil {
		t.Fatal(err)
	}
	got := memory.New(time.UTC)
	if err := got.Apply(before...); err != nil {
		t.Fatal(err)
	}
	kept := live(t, got)
	stop := errors.New("stop")
	if err := imp(got, versions, stop); err != stop {
		t.Fatalf("failed import: %v", err)
	}
	if l := live(t, got); !slices.Equal(l, kept) {
		t.Fatalf("a failed import changed the store:\n%v\nwant\n%v", l, kept)
	}
	if err := imp(got, versions, nil); err != nil {
		t.Fatal(err)
	}
	if g, w := live(t, got), live(t, want); !slices.Equal(g, w) {
		t.Fatalf("the import gives\n%v\nApply gives\n%v", g, w)
	}
	if got.Len() != want.Len() {
		t.Fatalf("Len %d, want %d", got.Len(), want.Len())
	}
}

// Import applies the same versions as Apply, into an empty store and into
// one that holds events; when fn fails it applies nothing.
func TestImportIsApply(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) { importIsApply(t, importReusing) })
}

func TestImportRefuses(t *testing.T) {
	bad := ev("x", "call", "ann", t0)
	bad.Attrs = map[string]any{"weight": 1.5}
	for _, filled := range []bool{false, true} {
		s := memory.New(time.UTC)
		if filled {
			if err := s.Apply(ev("old", "call", "ann", t0)); err != nil {
				t.Fatal(err)
			}
		}
		n := s.Len()
		err := importReusing(s, []kpi.Event{ev("a", "call", "ann", t0), bad, ev("b", "call", "ann", t0)}, nil)
		want := `event "x": attribute "weight": unsupported value of type float64 (want string, int64, decimal.Decimal, bool or time.Time)`
		if err == nil || err.Error() != want {
			t.Errorf("filled %v: error %v, want %s", filled, err, want)
		}
		if s.Len() != n {
			t.Errorf("filled %v: %d events, want %d", filled, s.Len(), n)
		}
		// The store is usable after a refused import.
		if err := importReusing(s, []kpi.Event{ev("a", "call", "ann", t0)}, nil); err != nil || s.Len() != n+1 {
			t.Errorf("filled %v: import after a refusal: %v, %d events", filled, err, s.Len())
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := memory.New(time.UTC)
	err := s.Import(ctx, func(add func(*kpi.Event) error) error {
		t.Error("fn ran under a canceled context")
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
}

package memory_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// Two goroutines that call one part's add by position at once (a misuse:
// a part's versions come in order) raced on the part's list of
// attributes, filled before the part's lock was taken: a version could be
// kept with the other goroutine's attributes. The adds take turns now,
// under the race detector too, and every version keeps its own values.
func TestByPositionAddOnTwoGoroutines(t *testing.T) {
	const per = 300
	names := []string{"who", "n", "note"}
	// twice adds per versions on each of two goroutines through add: the
	// version g-i has who "g<g>", n "<i>" and, for odd i only, a note.
	twice := func(add func(*kpi.Event, []any) error) error {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for g := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range per {
					e := &kpi.Event{ID: fmt.Sprintf("%d-%d", g, i), Kind: "call", Time: time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC), Actor: "ann"}
					values := []any{fmt.Sprint("g", g), fmt.Sprint(i), nil}
					if i%2 == 1 {
						values[2] = fmt.Sprint("note of ", e.ID)
					}
					if err := add(e, values); err != nil {
						errs[g] = err
						return
					}
				}
			}()
		}
		wg.Wait()
		return errors.Join(errs...)
	}
	held := func() *memory.Store {
		s := memory.New(time.UTC)
		if err := s.Apply(kpi.Event{ID: "first", Kind: "call", Time: time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC), Actor: "ann"}); err != nil {
			t.Fatal(err)
		}
		return s
	}
	imports := []struct {
		name  string
		store func() *memory.Store
		run   func(*memory.Store) error
	}{
		{"ImportColumnParts", held, func(s *memory.Store) error {
			return s.ImportColumnParts(context.Background(), func(part func(int, []string) func(*kpi.Event, []any) error) error {
				return twice(part(0, names))
			})
		}},
		{"ImportColumns into an empty store", func() *memory.Store { return memory.New(time.UTC) }, func(s *memory.Store) error {
			return s.ImportColumns(context.Background(), func(columns func(int, []string) func(*kpi.Event, []any) error) error {
				return twice(columns(0, names))
			})
		}},
		{"ImportColumns into a store that holds events", held, func(s *memory.Store) error {
			return s.ImportColumns(context.Background(), func(columns func(int, []string) func(*kpi.Event, []any) error) error {
				return twice(columns(0, names))
			})
		}},
	}
	for _, im := range imports {
		for range 5 {
			s := im.store()
			before := s.Len()
			if err := im.run(s); err != nil {
				t.Fatalf("%s: %v", im.name, err)
			}
			if s.Len() != before+2*per {
				t.Fatalf("%s: %d events, want %d", im.name, s.Len(), before+2*per)
			}
			err := s.Scan(context.Background(), kpi.Query{}, func(e *kpi.Event) error {
				if e.ID == "first" {
					return nil
				}
				var g, i int
				if _, err := fmt.Sscanf(e.ID, "%d-%d", &g, &i); err != nil {
					return fmt.Errorf("id %q: %v", e.ID, err)
				}
				want := map[string]any{"who": fmt.Sprint("g", g), "n": fmt.Sprint(i)}
				if i%2 == 1 {
					want["note"] = fmt.Sprint("note of ", e.ID)
				}
				if fmt.Sprint(e.Attrs) != fmt.Sprint(want) {
					return fmt.Errorf("%s: attributes %v, want %v", e.ID, e.Attrs, want)
				}
				return nil
			})
			if err != nil {
				t.Fatalf("%s: %v", im.name, err)
			}
		}
	}
}

// ImportColumns into an empty store gives each call of columns an add of
// its own, all of them writing the store's table: two goroutines adding
// through two of them at once (a misuse: the versions come in order) each
// took its own lock and wrote the table together. They take turns now,
// every version kept whole.
func TestImportColumnsTwoColumnsOnTwoGoroutines(t *testing.T) {
	const per = 300
	for range 5 {
		s := memory.New(time.UTC)
		err := s.ImportColumns(context.Background(), func(columns func(int, []string) func(*kpi.Event, []any) error) error {
			adds := []func(*kpi.Event, []any) error{columns(0, []string{"who", "n"}), columns(0, []string{"n", "who", "note"})}
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for g, add := range adds {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range per {
						e := &kpi.Event{ID: fmt.Sprintf("%d-%d", g, i), Kind: fmt.Sprint("k", i%3), Time: time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC), Actor: fmt.Sprint("a", i%7)}
						values := []any{fmt.Sprint("g", g), fmt.Sprint(i)}
						if g == 1 {
							values = []any{fmt.Sprint(i), fmt.Sprint("g", g), fmt.Sprint("note of ", e.ID)}
						}
						if err := add(e, values); err != nil {
							errs[g] = err
							return
						}
					}
				}()
			}
			wg.Wait()
			return errors.Join(errs...)
		})
		if err != nil {
			t.Fatal(err)
		}
		if s.Len() != 2*per {
			t.Fatalf("%d events, want %d", s.Len(), 2*per)
		}
		err = s.Scan(context.Background(), kpi.Query{}, func(e *kpi.Event) error {
			var g, i int
			if _, err := fmt.Sscanf(e.ID, "%d-%d", &g, &i); err != nil {
				return fmt.Errorf("id %q: %v", e.ID, err)
			}
			want := map[string]any{"who": fmt.Sprint("g", g), "n": fmt.Sprint(i)}
			if g == 1 {
				want["note"] = fmt.Sprint("note of ", e.ID)
			}
			if fmt.Sprint(e.Attrs) != fmt.Sprint(want) || e.Kind != fmt.Sprint("k", i%3) || e.Actor != fmt.Sprint("a", i%7) {
				return fmt.Errorf("%s: %s by %s, attributes %v; want %v", e.ID, e.Kind, e.Actor, e.Attrs, want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

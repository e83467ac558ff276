package memory_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// An import's add function kept and called after the function it was given
// to has returned is refused, and keeps nothing: into an empty store it
// wrote into the store's table without its lock (Import, ImportParallel),
// and into one that held events it returned nil and dropped the version
// (the parts were merged already).
func TestLateAddIsRefused(t *testing.T) {
	ctx := context.Background()
	ev := func(id string) *kpi.Event {
		return &kpi.Event{ID: id, Kind: "call", Time: time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC), Actor: "ann"}
	}
	// Each run imports "in" through the store's import, and returns an
	// add function kept from it and the import's error.
	imports := []lateImport{
		{"Import", func(s *memory.Store) (func(string) error, error) {
			var late func(*kpi.Event) error
			err := s.Import(ctx, func(add func(*kpi.Event) error) error { late = add; return add(ev("in")) })
			return func(id string) error { return late(ev(id)) }, err
		}},
		{"ImportParts", func(s *memory.Store) (func(string) error, error) {
			var late func(*kpi.Event) error
			err := s.ImportParts(ctx, func(part func(int) func(*kpi.Event) error) error { late = part(1); return late(ev("in")) })
			return func(id string) error { return late(ev(id)) }, err
		}},
		{"ImportColumnParts", func(s *memory.Store) (func(string) error, error) {
			var late func(*kpi.Event, []any) error
			err := s.ImportColumnParts(ctx, func(part func(int, []string) func(*kpi.Event, []any) error) error {
				late = part(1, []string{"n"})
				return late(ev("in"), []any{int64(1)})
			})
			return func(id string) error { return late(ev(id), []any{int64(2)}) }, err
		}},
		{"ImportColumns", func(s *memory.Store) (func(string) error, error) {
			var late func(*kpi.Event, []any) error
			err := s.ImportColumns(ctx, func(columns func(int, []string) func(*kpi.Event, []any) error) error {
				late = columns(1, []string{"n"})
				return late(ev("in"), []any{int64(1)})
			})
			return func(id string) error { return late(ev(id), []any{int64(2)}) }, err
		}},
		{"ImportParallel", func(s *memory.Store) (func(string) error, error) {
			lates := make([]func(*kpi.Event) error, 2)
			err := s.ImportParallel(ctx, 2, 2, func(part int, add func(*kpi.Event) error) error {
				lates[part] = add
				return add(ev([]string{"in", "in2"}[part]))
			})
			return func(id string) error {
				// Both parts' adds are over: the one applied in place and
				// the one coded into blocks.
				if err := lates[1](ev(id)); err == nil {
					return nil
				}
				return lates[0](ev(id))
			}, err
		}},
	}
	checkLate(t, imports, ev)
}

// A part started after the import's function has returned (part or
// columns kept and called later) gives an add that refuses every version
// and keeps nothing: it was a part the import had not waited for, whose
// versions were dropped without a word, or merged while they were added,
// or (ImportColumns into an empty store) written into the store's table
// without its lock.
func TestLatePartIsRefused(t *testing.T) {
	ctx := context.Background()
	ev := func(id string) *kpi.Event {
		return &kpi.Event{ID: id, Kind: "call", Time: time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC), Actor: "ann"}
	}
	// Each run imports "in" and returns a function that starts a part
	// late and adds a version to it.
	imports := []lateImport{
		{"ImportParts", func(s *memory.Store) (func(string) error, error) {
			var late func(int) func(*kpi.Event) error
			err := s.ImportParts(ctx, func(part func(int) func(*kpi.Event) error) error { late = part; return part(1)(ev("in")) })
			return func(id string) error { return late(1)(ev(id)) }, err
		}},
		{"ImportColumnParts", func(s *memory.Store) (func(string) error, error) {
			var late func(int, []string) func(*kpi.Event, []any) error
			err := s.ImportColumnParts(ctx, func(part func(int, []string) func(*kpi.Event, []any) error) error {
				late = part
				return part(1, []string{"n"})(ev("in"), []any{int64(1)})
			})
			return func(id string) error { return late(1, []string{"n"})(ev(id), []any{int64(2)}) }, err
		}},
		{"ImportColumns", func(s *memory.Store) (func(string) error, error) {
			var late func(int, []string) func(*kpi.Event, []any) error
			err := s.ImportColumns(ctx, func(columns func(int, []string) func(*kpi.Event, []any) error) error {
				late = columns
				return columns(1, []string{"n"})(ev("in"), []any{int64(1)})
			})
			return func(id string) error { return late(1, []string{"n"})(ev(id), []any{int64(2)}) }, err
		}},
	}
	checkLate(t, imports, ev)
}

// lateImport is an import that keeps "in" and returns a function that
// adds a version after the import's function returned.
type lateImport struct {
	name string
	run  func(s *memory.Store) (func(id string) error, error)
}

// checkLate runs each import into an empty store and into one holding an
// event, and checks that its late add is refused as the import being over
// and keeps nothing, while what came in time stays.
func checkLate(t *testing.T, imports []lateImport, ev func(id string) *kpi.Event) {
	t.Helper()
	for _, im := range imports {
		for _, held := range []bool{false, true} {
			name := im.name + "/empty"
			if held {
				name = im.name + "/holding"
			}
			t.Run(name, func(t *testing.T) {
				s := memory.New(time.UTC)
				if held {
					if err := s.Apply(*ev("before")); err != nil {
						t.Fatal(err)
					}
				}
				late, err := im.run(s)
				if err != nil {
					t.Fatal(err)
				}
				n := s.Len()
				if err := late("late"); !errors.Is(err, memory.ErrImportEnded) {
					t.Errorf("a late add returned %v, want an error saying the import is over", err)
				}
				if _, ok := s.Get("late"); ok || s.Len() != n {
					t.Errorf("the late version was kept: %d events, want %d", s.Len(), n)
				}
				if _, ok := s.Get("in"); !ok {
					t.Error("the version added in time is not there")
				}
			})
		}
	}
}

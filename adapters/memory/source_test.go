package memory_test

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// TestSource runs the conformance suite through each of the store's write
// paths (Apply, Import, ImportParallel in three parts, ImportColumns and
// ImportColumnParts in two, attributes by position), in UTC and in a zone of its own. The store
// aggregates in place through kpi.TableSource rather than kpi.Pusher, so
// TestPusher does not apply.
func TestSource(t *testing.T) {
	moscow, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	paths := []struct {
		name  string
		apply func(ctx context.Context, s *memory.Store, events ...kpi.Event) error
	}{
		{"apply", func(_ context.Context, s *memory.Store, events ...kpi.Event) error { return s.Apply(events...) }},
		{"import", func(ctx context.Context, s *memory.Store, events ...kpi.Event) error {
			return s.Import(ctx, func(add func(*kpi.Event) error) error {
				var e kpi.Event // reused, as a file reader would
				for i := range events {
					e = events[i]
					if err := add(&e); err != nil {
						return err
					}
				}
				return nil
			})
		}},
		{"parallel", func(ctx context.Context, s *memory.Store, events ...kpi.Event) error {
			const parts = 3
			return s.ImportParallel(ctx, parts, len(events), func(part int, add func(*kpi.Event) error) error {
				var e kpi.Event
				for i := len(events) * part / parts; i < len(events)*(part+1)/parts; i++ {
					e = events[i]
					if err := add(&e); err != nil {
						return err
					}
				}
				return nil
			})
		}},
		{"columns", func(ctx context.Context, s *memory.Store, events ...kpi.Event) error {
			return s.ImportColumns(ctx, func(columns func(int, []string) func(*kpi.Event, []any) error) error {
				return addByPosition(events, 2, columns)
			})
		}},
		{"column parts", func(ctx context.Context, s *memory.Store, events ...kpi.Event) error {
			return s.ImportColumnParts(ctx, func(part func(int, []string) func(*kpi.Event, []any) error) error {
				return addByPosition(events, 2, part)
			})
		}},
	}
	for _, p := range paths {
		for _, loc := range []*time.Location{time.UTC, moscow} {
			t.Run(p.name+"/"+loc.String(), func(t *testing.T) {
				adaptertest.TestSource(t, adaptertest.Harness[*memory.Store]{
					Open:  func(testing.TB) *memory.Store { return memory.New(loc) },
					Apply: p.apply,
				})
			})
		}
	}
}

// addByPosition adds events in parts runs (each a call of start), with
// their attributes by position under the names of every event's attributes.
func addByPosition(events []kpi.Event, parts int, start func(int, []string) func(*kpi.Event, []any) error) error {
	names := map[string]bool{}
	for _, e := range events {
		for k := range e.Attrs {
			names[k] = true
		}
	}
	cuts := make([]int, parts+1)
	for p := range cuts {
		cuts[p] = len(events) * p / parts
	}
	return addByColumn(events, slices.Sorted(maps.Keys(names)), cuts, start)
}

package memory_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// TestSource runs the conformance suite through each of the store's write
// paths (Apply, Import, ImportParallel in three parts), in UTC and in a zone of its own. The store
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

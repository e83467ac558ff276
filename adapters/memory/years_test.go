package memory_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// The store keeps an event's time as int64 nanoseconds, which hold the
// years 1678–2261 only: Apply refuses a version of another year (its
// Validate does), but Import into an empty store, ImportParts,
// ImportColumns and ImportParallel took it, and kept a deal of 3000-01-01
// as one of 1830-11-23. Each must refuse it with Validate's words and keep
// nothing.
func TestImportsRefuseATimeOutsideTheYears(t *testing.T) {
	ctx := context.Background()
	bad := kpi.Event{ID: "a", Kind: "k", Actor: "u", Time: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}
	const want = `event "a": time 3000-01-01T00:00:00Z is outside the years 1678–2261`
	for _, c := range []struct {
		how  string
		fill func(s *memory.Store) error
	}{
		{"Apply", func(s *memory.Store) error { return s.Apply(bad) }},
		{"Import", func(s *memory.Store) error {
			return s.Import(ctx, func(add func(*kpi.Event) error) error { e := bad; return add(&e) })
		}},
		{"ImportParts", func(s *memory.Store) error {
			return s.ImportParts(ctx, func(part func(int) func(*kpi.Event) error) error { e := bad; return part(1)(&e) })
		}},
		{"ImportColumns", func(s *memory.Store) error {
			return s.ImportColumns(ctx, func(columns func(int, []string) func(*kpi.Event, []any) error) error {
				e := bad
				return columns(1, nil)(&e, nil)
			})
		}},
		{"ImportParallel", func(s *memory.Store) error {
			return s.ImportParallel(ctx, 2, 2, func(part int, add func(*kpi.Event) error) error { e := bad; return add(&e) })
		}},
	} {
		s := memory.New(time.UTC)
		err := c.fill(s)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %s", c.how, err, want)
		}
		if s.Len() != 0 {
			e, _ := s.Get("a")
			t.Errorf("%s: a refused version kept, at %v", c.how, e.Time)
		}
	}
}

package memory_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// cancelRun counts what a host's parts add once ctx is cancelled: part 10
// cancels it before its first version, and every version added after the
// cancel was seen, whatever part and goroutine adds it, is counted in
// late. The host skips what add refuses (as one that logs a bad line and
// goes on), so that only add stops it.
type cancelRun struct {
	cancel    context.CancelFunc
	cancelled atomic.Bool
	late      atomic.Int64
	ran       atomic.Int64
}

// part is the fn of part p: one version, added with add.
func (r *cancelRun) part(p int, add func(*kpi.Event) error) {
	r.ran.Add(1)
	if p == 10 {
		r.cancel()
		r.cancelled.Store(true)
	}
	after := r.cancelled.Load()
	e := ev(fmt.Sprint("e", p), "call", "ann", t0)
	if add(&e) == nil && after {
		r.late.Add(1)
	}
}

// Once ctx is cancelled, the add of every part refuses its first version:
// a source cut into many parts of fewer versions than the count between
// two looks at ctx added every part left after a cancel (each part's
// count started at zero). Every part's fn is still called (a host's fn
// may wait for the others to start), the import returns ctx's error and
// leaves the store as it was.
func TestImportCancelledPartsAddNothing(t *testing.T) {
	const parts = 5_000
	imports := map[string]func(ctx context.Context, s *memory.Store, r *cancelRun) error{
		"ImportParallel": func(ctx context.Context, s *memory.Store, r *cancelRun) error {
			return s.ImportParallel(ctx, parts, 0, func(p int, add func(*kpi.Event) error) error {
				r.part(p, add)
				return nil
			})
		},
		"ImportParts": func(ctx context.Context, s *memory.Store, r *cancelRun) error {
			return s.ImportParts(ctx, func(part func(int) func(*kpi.Event) error) error {
				for p := range parts {
					r.part(p, part(1))
				}
				return nil
			})
		},
		"ImportColumnParts": func(ctx context.Context, s *memory.Store, r *cancelRun) error {
			return s.ImportColumnParts(ctx, func(part func(int, []string) func(*kpi.Event, []any) error) error {
				for p := range parts {
					add := part(1, []string{"source"})
					r.part(p, func(e *kpi.Event) error { return add(e, []any{"web"}) })
				}
				return nil
			})
		},
	}
	for name, imp := range imports {
		for _, filled := range []bool{false, true} {
			s := newStore(t, filled)
			want := s.Len()
			ctx, cancel := context.WithCancel(context.Background())
			r := &cancelRun{cancel: cancel}
			err := imp(ctx, s, r)
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s, filled %v: %v, want context.Canceled", name, filled, err)
			}
			if n := r.late.Load(); n != 0 {
				t.Errorf("%s, filled %v: %d versions added after the cancel", name, filled, n)
			}
			if n := r.ran.Load(); n != parts {
				t.Errorf("%s, filled %v: %d parts' functions ran, want all %d", name, filled, n, parts)
			}
			if s.Len() != want {
				t.Errorf("%s, filled %v: a cancelled import left %d events, want %d", name, filled, s.Len(), want)
			}
		}
	}
}

// ImportColumns into an empty store keeps nothing when ctx is cancelled,
// even if fn skips the version add refused with ctx's error and returns
// nil: the import returned nil and kept every version but that one.
func TestImportColumnsCancelledSkippingHost(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := memory.New(time.UTC)
	refused := 0
	err := s.ImportColumns(ctx, func(columns func(int, []string) func(*kpi.Event, []any) error) error {
		add := columns(0, []string{"source"})
		for i := range 10_000 {
			if i == 10 {
				cancel()
			}
			e := ev(fmt.Sprint("e", i), "call", "ann", t0)
			if add(&e, []any{"web"}) != nil {
				refused++
			}
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("%v (%d versions refused), want context.Canceled", err, refused)
	}
	if s.Len() != 0 {
		t.Errorf("a cancelled import kept %d events", s.Len())
	}
}

package memory

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/kpi"
)

// Store is an in-memory event store. Events are kept column by column, in a
// kpi.Table, with their local dates computed once, in the store's time zone,
// when they are applied; evaluations in that zone read the columns in place.
// It is safe for concurrent use.
type Store struct {
	mu  sync.RWMutex
	tab *kpi.Table
}

// New returns an empty store whose events are dated in loc (the plan's time
// zone; evaluations in another zone still work, through a scan).
func New(loc *time.Location) *Store {
	return &Store{tab: kpi.NewTable(loc)}
}

// Apply applies event versions in order: new events, corrections (same ID,
// any field changed) and retractions (Deleted). The batch is applied whole or
// not at all: if any event is invalid, or the batch would take the store past
// kpi.MaxAttrNames or its event kinds, nothing changes and the error names it.
func (s *Store) Apply(events ...kpi.Event) error {
	for i := range events {
		if err := events[i].Validate(); err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.tab.CheckNames(events); err != nil {
		return err
	}
	if err := checkKinds(colstore.Of(s.tab), events); err != nil {
		return err
	}
	for i := range events {
		if err := s.tab.Apply(&events[i]); err != nil {
			// validate accepts only what Apply accepts, so this is a bug.
			panic(fmt.Sprintf("memory: event validated but not applied: %v", err))
		}
	}
	return nil
}

// maxKinds is the most event kinds a table holds (internal/colstore codes
// a row's kind in 16 bits, two codes reserved): a version of one more
// kind is refused.
const maxKinds = 1<<16 - 2

// checkKinds refuses a batch of valid versions that would take the table t
// past maxKinds, naming the first version of a kind past it, so that Apply
// refuses the batch whole rather than apply it up to that version.
func checkKinds(t *colstore.Table, events []kpi.Event) error {
	have := len(t.Segs)
	if have+len(events) <= maxKinds {
		return nil // not enough versions to pass it: nothing to look up
	}
	added := map[string]bool{}
	for i := range events {
		e := &events[i]
		if e.Deleted || added[e.Kind] {
			continue
		}
		if _, ok := t.KindCode(e.Kind); ok {
			continue
		}
		if have+len(added) == maxKinds {
			return fmt.Errorf("event %d: event %q: too many event kinds (at most %d)", i, e.ID, maxKinds)
		}
		added[e.Kind] = true
	}
	return nil
}

// Import applies the event versions fn adds, in order, all or nothing (see
// kpi.Table.Import): the fast way to fill a store, and what eventfile.Load
// uses. The store is locked while fn runs: fn must not call the store's
// methods.
func (s *Store) Import(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tab.Import(ctx, fn)
}

// Grow makes room for about n more events, so that importing them does not
// resize the store's index and columns on the way.
func (s *Store) Grow(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tab.Grow(n)
}

// Len returns the number of live events.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.tab.Len()
}

// Bytes estimates the memory the store's columns hold.
func (s *Store) Bytes() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.tab.Bytes()
}

// Get returns the live version of an event.
func (s *Store) Get(id string) (kpi.Event, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.tab.Get(id)
}

// Scan implements kpi.Source.
func (s *Store) Scan(ctx context.Context, q kpi.Query, fn func(*kpi.Event) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.tab.Scan(ctx, q, fn)
}

// ReadTable implements kpi.TableSource: fn reads the events in place, under
// the store's read lock.
func (s *Store) ReadTable(ctx context.Context, fn func(*kpi.Table) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return fn(s.tab)
}

var _ kpi.TableSource = (*Store)(nil)

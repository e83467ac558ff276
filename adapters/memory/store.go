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
	if len(colstore.Of(s.tab).Segs)+len(events) > maxKinds {
		// Enough versions to pass the kinds: look their kinds up.
		room := newKindRoom(colstore.Of(s.tab))
		for i := range events {
			if err := room.check(&events[i]); err != nil {
				return fmt.Errorf("event %d: %w", i, err)
			}
		}
	}
	for i := range events {
		if err := s.tab.Apply(&events[i]); err != nil {
			// validate accepts only what Apply accepts, so this is a bug.
			panic(fmt.Sprintf("memory: event validated but not applied: %v", err))
		}
	}
	return nil
}

// Import applies the event versions fn adds, in order, all or nothing (see
// kpi.Table.Import): the fast way to fill a store, and what eventfile.Load
// uses. add refuses a version of a kind past the store's event kinds, and
// one whose time is outside the years 1678–2261, as Apply does. The store is locked while fn runs: fn must not call the store's
// methods.
func (s *Store) Import(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := colstore.Of(s.tab)
	if t.Live() == 0 && t.Dead() == 0 {
		// Applied as they come: the table refuses a kind past its own,
		// not a time it cannot hold.
		return s.tab.Import(ctx, func(add func(*kpi.Event) error) error {
			return fn(func(e *kpi.Event) error {
				if err := checkYears(e); err != nil {
					return err
				}
				return add(e)
			})
		})
	}
	// Staged, then applied: a kind past the table's is refused as it comes.
	return s.tab.Import(ctx, func(add func(*kpi.Event) error) error {
		room := newKindRoom(t)
		return fn(func(e *kpi.Event) error {
			if err := room.check(e); err != nil {
				return err
			}
			return add(e)
		})
	})
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

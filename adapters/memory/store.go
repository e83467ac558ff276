package memory

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

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
// uses. add refuses what Apply refuses (a version past the store's event
// kinds or with a time outside the years 1678–2261 included). The store is
// locked while fn runs: fn must not call the store's methods. add works
// only while fn runs: called after (kept by fn, or on a goroutine fn did
// not wait for) it keeps nothing and returns an error saying so.
func (s *Store) Import(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tab.Import(ctx, func(add func(*kpi.Event) error) error {
		// An add on a goroutine fn did not wait for either ends before
		// fn's return does or is refused, never writing into the table as
		// the import ends.
		var w window
		defer w.end()
		return fn(func(e *kpi.Event) error {
			w.mu.Lock()
			defer w.mu.Unlock()
			if w.ended {
				return errImportEnded
			}
			return add(e)
		})
	})
}

// errImportEnded is what the add function of an import (Import,
// ImportParts, ImportColumnParts, ImportColumns, ImportParallel) returns
// when it is called after the function it was given to has returned: the
// import is over, and the version is not kept. (It was kept without the
// store's lock, or dropped without a word.)
var errImportEnded = errors.New("memory: add called after its import's function returned; the version is not kept")

// window is the time an import's function runs, for its add: an add
// holds mu and refuses to add once ended is set (errImportEnded), and end
// sets it after any add in flight, so that an add on a goroutine the
// function did not wait for either ends before the function's return does
// or is refused. (Each add takes mu and tests ended itself: a method that
// did both would not be inlined on the import's path.)
type window struct {
	mu    sync.Mutex
	ended bool
}

// end closes the window, after any add in flight.
func (w *window) end() {
	w.mu.Lock()
	w.ended = true
	w.mu.Unlock()
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

// Scan implements kpi.Source. fn runs under the store's read lock, so
// that the scan reads the store as it was when the scan began: a write
// (Apply, an import, Grow) on another goroutine waits until Scan returns.
// fn must not call the store's methods: a write from fn never returns (it
// waits for the scan, which waits for fn), and a read from fn (Get, Len,
// Scan) hangs the same way as soon as another goroutine waits to write.
// To change the store by what a scan finds, keep what fn needs and change
// the store after Scan returns.
func (s *Store) Scan(ctx context.Context, q kpi.Query, fn func(*kpi.Event) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.tab.Scan(ctx, q, fn)
}

// ReadTable implements kpi.TableSource: fn reads the events in place, under
// the store's read lock; as Scan's, fn must not call the store's methods.
func (s *Store) ReadTable(ctx context.Context, fn func(*kpi.Table) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return fn(s.tab)
}

var _ kpi.TableSource = (*Store)(nil)

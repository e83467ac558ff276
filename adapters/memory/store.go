package memory

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/kpi"
)

// Store is an in-memory event store. Events are kept column by column, with
// their local dates computed once, in the store's time zone, when they are
// applied; evaluations in that zone read the columns in place.
type Store struct {
	mu  sync.RWMutex
	tab *colstore.Table
}

// New returns an empty store whose events are dated in loc (the plan's time
// zone; evaluations in another zone still work, through a scan).
func New(loc *time.Location) *Store {
	if loc == nil {
		loc = time.UTC
	}
	return &Store{tab: colstore.New(loc)}
}

// Apply applies event versions in order: new events, corrections (same ID,
// any field changed) and retractions (Deleted). The batch is applied whole or
// not at all: if any event is invalid, nothing changes and the error names it.
func (s *Store) Apply(events ...kpi.Event) error {
	for i := range events {
		if err := events[i].Validate(); err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var in colstore.Input
	for i := range events {
		setInput(&in, &events[i])
		if err := s.tab.Apply(&in); err != nil {
			// validate accepts only what Apply accepts, so this is a bug.
			panic(fmt.Sprintf("memory: event validated but not applied: %v", err))
		}
	}
	return nil
}

func setInput(in *colstore.Input, e *kpi.Event) {
	*in = colstore.Input{ID: e.ID, Kind: e.Kind, Time: e.Time, Actor: e.Actor, Amount: e.Amount,
		Currency: e.Currency, Attrs: e.Attrs, Deleted: e.Deleted, Known: e.Known}
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
	return s.tab.Live()
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
	seg, row, ok := s.tab.Lookup(id)
	if !ok || !seg.Alive(row) {
		return kpi.Event{}, false
	}
	var r colstore.Row
	s.tab.Read(seg, row, &r)
	return toEvent(&r, true), true
}

func toEvent(r *colstore.Row, copyAttrs bool) kpi.Event {
	e := kpi.Event{ID: r.ID, Kind: r.Kind, Time: r.Time, Actor: r.Actor, Amount: r.Amount, Currency: r.Currency, Known: r.Known}
	if len(r.Attrs) > 0 {
		if copyAttrs {
			e.Attrs = make(map[string]any, len(r.Attrs))
			for k, v := range r.Attrs {
				e.Attrs[k] = v
			}
		} else {
			e.Attrs = r.Attrs
		}
	}
	if copyAttrs {
		e.ID = string([]byte(r.ID))
	}
	return e
}

// Scan implements kpi.Source.
func (s *Store) Scan(ctx context.Context, q kpi.Query, fn func(*kpi.Event) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var r colstore.Row
	var e kpi.Event
	var from, to int64 = -1 << 63, 1<<63 - 1
	if !q.From.IsZero() {
		from = q.From.UnixNano()
	}
	if !q.To.IsZero() {
		to = q.To.UnixNano()
	}
	for _, seg := range s.tab.Segs {
		if q.Kinds != nil && !contains(q.Kinds, seg.Kind) {
			continue
		}
		for i := 0; i < seg.N; i++ {
			if i%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if !seg.Alive(i) || seg.TS[i] < from || seg.TS[i] >= to {
				continue
			}
			s.tab.Read(seg, i, &r)
			e = toEvent(&r, false)
			if err := fn(&e); err != nil {
				return err
			}
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ReadTable implements kpi.TableSource.
func (s *Store) ReadTable(ctx context.Context, fn func(*colstore.Table) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return fn(s.tab)
}

var _ kpi.TableSource = (*Store)(nil)

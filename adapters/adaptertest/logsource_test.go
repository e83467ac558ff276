package adaptertest_test

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/shopspring/decimal"
)

// logSource is a source as a host might write one: an append-only log of
// event versions, folded at every scan. It implements kpi.Pusher by
// aggregating what it folds. A flaw, when set, breaks one rule of the
// contract, so that the suites can be shown to catch it.
type logSource struct {
	mu   sync.Mutex
	log  []kpi.Event
	flaw string
}

// The flaws a logSource can have.
const (
	ignoresRetractions = "ignores_retractions"
	keepsFirstVersion  = "keeps_the_first_version"
	mergesAttributes   = "merges_attributes_of_corrections"
	passesDuplicates   = "passes_duplicates"
	closedRange        = "includes_To"
	zeroToIsEmpty      = "zero_To_selects_nothing"
	noKindsIsAll       = "no_kinds_selects_all"
	losesNanoseconds   = "loses_nanoseconds"
	dropsZeroAmount    = "drops_zero_amounts"
	dropsKnown         = "drops_when_a_version_was_known"
	intsAsStrings      = "stores_ints_as_strings"
	ignoresContext     = "ignores_the_context"
	swallowsFnErrors   = "swallows_fn_errors"
	silentCancel       = "stops_on_cancel_without_error"
	pushIgnoresAsOf    = "push_ignores_AsOf"
	pushClosedBuckets  = "push_puts_a_bound_in_the_earlier_bucket"
	pushCountsRetired  = "push_counts_retracted_events"
	pushDeclines       = "push_declines_everything"
	retractionIsFinal  = "never_brings_a_retracted_event_back"
	zeroFromIsEmpty    = "zero_From_selects_nothing"
	nilKindsIsNone     = "nil_kinds_selects_nothing"
	excludesFrom       = "excludes_From"
	wallClockAsUTC     = "keeps_the_wall_clock_as_UTC"
	roundsAmounts      = "rounds_amounts_to_cents"
	boolsAsStrings     = "stores_bools_as_strings"
	addsAttribute      = "adds_an_attribute"
	callsOnAfterError  = "calls_fn_after_its_error"
	callsFnWhenDone    = "calls_fn_once_with_a_done_context"
	pushIgnoresWhere   = "push_ignores_Where"
	pushIgnoresKinds   = "push_ignores_Kinds"
	pushNoCurrencies   = "push_drops_currencies"
	pushCountsAllN     = "push_counts_events_without_a_number_in_N"
	pushMaxIsLast      = "push_takes_the_last_value_as_Max"
	namesFirstRefused  = "names_the_first_event_it_refuses"
	passesRefused      = "passes_events_no_event_may_be"
	pushCountsRefused  = "push_counts_events_a_scan_refuses"
	passesBadFields    = "passes_kinds_currencies_and_attributes_no_event_may_have"
)

var sourceFlaws = []string{ignoresRetractions, keepsFirstVersion, mergesAttributes, passesDuplicates, closedRange,
	zeroToIsEmpty, noKindsIsAll, losesNanoseconds, dropsZeroAmount, dropsKnown, intsAsStrings, ignoresContext, swallowsFnErrors, silentCancel,
	retractionIsFinal, zeroFromIsEmpty, nilKindsIsNone, excludesFrom, wallClockAsUTC, roundsAmounts, boolsAsStrings, addsAttribute,
	callsOnAfterError, callsFnWhenDone, namesFirstRefused, passesRefused, pushCountsRefused, passesBadFields}

var pushFlaws = []string{pushIgnoresAsOf, pushClosedBuckets, pushCountsRetired, pushDeclines,
	pushIgnoresWhere, pushIgnoresKinds, pushNoCurrencies, pushCountsAllN, pushMaxIsLast}

// Apply appends versions to the log, all or none.
func (s *logSource) Apply(ctx context.Context, events ...kpi.Event) error {
	for i := range events {
		if err := events[i].Validate(); err != nil {
			return err
		}
	}
	return s.Unchecked(ctx, events...)
}

// Unchecked appends versions to the log as they are, as a host's own
// writes could (adaptertest.Harness.Unchecked).
func (s *logSource) Unchecked(_ context.Context, events ...kpi.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range events {
		e = e.Clone()
		switch s.flaw {
		case losesNanoseconds:
			e.Time = e.Time.Truncate(time.Microsecond)
		case dropsZeroAmount:
			if e.Amount.Valid && e.Amount.Decimal.IsZero() {
				e.Amount = decimal.NullDecimal{}
			}
		case dropsKnown:
			e.Known = time.Time{}
		case intsAsStrings:
			for k, v := range e.Attrs {
				if n, ok := v.(int64); ok {
					e.Attrs[k] = decimal.NewFromInt(n).String()
				}
			}
		case boolsAsStrings:
			for k, v := range e.Attrs {
				if b, ok := v.(bool); ok {
					e.Attrs[k] = fmt.Sprint(b)
				}
			}
		case addsAttribute:
			if !e.Deleted {
				if e.Attrs == nil {
					e.Attrs = map[string]any{}
				}
				e.Attrs["stored_by"] = "log"
			}
		case wallClockAsUTC:
			y, mo, d := e.Time.Date()
			h, mi, sec := e.Time.Clock()
			e.Time = time.Date(y, mo, d, h, mi, sec, e.Time.Nanosecond(), time.UTC)
		case roundsAmounts:
			if e.Amount.Valid {
				e.Amount.Decimal = e.Amount.Decimal.Round(2)
			}
		}
		s.log = append(s.log, e)
	}
	return nil
}

// fold returns the current version of every event, in ID order; with
// retracted, retracted events too (as their last version before the
// retraction).
func (s *logSource) fold(retracted bool) []kpi.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := map[string]kpi.Event{}
	gone := map[string]bool{}
	copies := map[string]int{}
	for _, e := range s.log {
		prev, had := cur[e.ID]
		switch {
		case e.Deleted && s.flaw == ignoresRetractions:
		case gone[e.ID] && s.flaw == retractionIsFinal:
		case e.Deleted:
			gone[e.ID] = true
		case had && !gone[e.ID] && s.flaw == keepsFirstVersion:
		case had && !gone[e.ID] && s.flaw == mergesAttributes:
			attrs := maps.Clone(prev.Attrs)
			if attrs == nil {
				attrs = map[string]any{}
			}
			maps.Copy(attrs, e.Attrs)
			e.Attrs = attrs
			cur[e.ID] = e
		default:
			if had && !gone[e.ID] && reflect.DeepEqual(prev, e) {
				copies[e.ID]++
			} else {
				copies[e.ID] = 1
			}
			cur[e.ID], gone[e.ID] = e, false
		}
	}
	var out []kpi.Event
	for _, id := range slices.Sorted(maps.Keys(cur)) {
		if gone[id] && !retracted {
			continue
		}
		n := 1
		if s.flaw == passesDuplicates {
			n = copies[id]
		}
		for range n {
			out = append(out, cur[id])
		}
	}
	return out
}

func (s *logSource) matches(q kpi.Query, e *kpi.Event) bool {
	selective := q.Kinds != nil
	switch s.flaw {
	case noKindsIsAll:
		selective = len(q.Kinds) > 0
	case nilKindsIsNone:
		selective = true
	}
	if selective && !slices.Contains(q.Kinds, e.Kind) {
		return false
	}
	if !q.From.IsZero() && e.Time.Before(q.From) {
		return false
	}
	switch s.flaw {
	case zeroFromIsEmpty:
		if q.From.IsZero() {
			return false
		}
	case excludesFrom:
		if e.Time.Equal(q.From) {
			return false
		}
	case closedRange:
		return q.To.IsZero() || !e.Time.After(q.To)
	case zeroToIsEmpty:
		return e.Time.Before(q.To)
	}
	return q.To.IsZero() || e.Time.Before(q.To)
}

// Scan implements kpi.Source.
func (s *logSource) Scan(ctx context.Context, q kpi.Query, fn func(*kpi.Event) error) error {
	events := s.fold(false)
	if err := s.refused(events); err != nil {
		return err
	}
	var fnErr error
	for i := range events {
		if s.flaw == callsFnWhenDone && i == 0 && s.matches(q, &events[i]) {
			if err := fn(&events[i]); err != nil {
				return err
			}
			continue
		}
		if err := ctx.Err(); err != nil && s.flaw != ignoresContext {
			if s.flaw == silentCancel {
				return nil
			}
			return err
		}
		if !s.matches(q, &events[i]) {
			continue
		}
		err := fn(&events[i])
		switch {
		case err == nil || s.flaw == swallowsFnErrors:
		case s.flaw == callsOnAfterError:
			fnErr = cmp.Or(fnErr, err)
		default:
			return err
		}
	}
	return fnErr
}

// refused refuses a scan of events that hold an id or an actor no event
// may have, naming the least such id, else the least such actor.
func (s *logSource) refused(events []kpi.Event) error {
	bad := func(e *kpi.Event) (id, actor bool) {
		return display.IDProblem(e.ID) != "", e.Actor == org.Everyone || display.IDProblem(e.Actor) != ""
	}
	switch s.flaw {
	case passesRefused:
		return nil
	case namesFirstRefused:
		s.mu.Lock()
		defer s.mu.Unlock()
		for i := range s.log {
			if id, actor := bad(&s.log[i]); id || actor {
				return fmt.Errorf("event %q, actor %q: no event may be so", s.log[i].ID, s.log[i].Actor)
			}
		}
		return nil
	}
	var ids, actors []string
	for i := range events {
		switch id, actor := bad(&events[i]); {
		case id:
			ids = append(ids, events[i].ID)
		case actor:
			actors = append(actors, events[i].Actor)
		}
	}
	if len(ids) > 0 {
		return fmt.Errorf("event id %q is not an identifier", slices.Min(ids))
	}
	if len(actors) > 0 {
		return fmt.Errorf("actor %q may not be an event's", slices.Min(actors))
	}
	if s.flaw == passesBadFields {
		return nil
	}
	for i := range events {
		if err := events[i].Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Push implements kpi.Pusher: it aggregates the folded events.
func (s *logSource) Push(ctx context.Context, q kpi.PushQuery) ([]kpi.PushRow, bool, error) {
	if s.flaw == pushDeclines || len(q.Bounds) < 2 {
		return nil, s.flaw != pushDeclines, nil
	}
	// What a scan refuses, a push refuses alike.
	if err := s.refused(s.fold(false)); err != nil && s.flaw != pushCountsRefused {
		return nil, false, err
	}
	type key struct {
		actor  string
		bucket int
	}
	rows := map[key]*kpi.PushRow{}
	for _, e := range s.fold(s.flaw == pushCountsRetired) {
		first, end := q.Bounds[0], q.Bounds[len(q.Bounds)-1]
		if q.Kinds != nil && !slices.Contains(q.Kinds, e.Kind) && s.flaw != pushIgnoresKinds || e.Time.Before(first) || !e.Time.Before(end) {
			continue
		}
		if !q.AsOf.IsZero() && e.Time.After(q.AsOf) && s.flaw != pushIgnoresAsOf {
			continue
		}
		if q.Where != nil && s.flaw != pushIgnoresWhere {
			if ok, _ := formula.EvalNode(q.Where, adaptertest.Scope(&e)).Bool(); !ok {
				continue
			}
		}
		b := sort.Search(len(q.Bounds), func(i int) bool { return e.Time.Before(q.Bounds[i]) }) - 1
		if s.flaw == pushClosedBuckets && b > 0 && e.Time.Equal(q.Bounds[b]) {
			b--
		}
		r := rows[key{e.Actor, b}]
		if r == nil {
			r = &kpi.PushRow{Actor: e.Actor, Bucket: b}
			rows[key{e.Actor, b}] = r
		}
		r.Count++
		if q.Value == "" {
			continue
		}
		v, ok := adaptertest.Scope(&e).Lookup(formula.Ref{Name: q.Value}).Number()
		if !ok {
			if s.flaw == pushCountsAllN {
				r.N++
			}
			continue
		}
		if r.N == 0 || v.Cmp(r.Min) < 0 {
			r.Min = v
		}
		if r.N == 0 || v.Cmp(r.Max) > 0 || s.flaw == pushMaxIsLast {
			r.Max = v
		}
		r.N++
		r.Sum = r.Sum.Add(v)
		if q.Value == "amount" && e.Currency != "" && !slices.Contains(r.Currencies, e.Currency) && s.flaw != pushNoCurrencies {
			r.Currencies = append(r.Currencies, e.Currency)
		}
	}
	var out []kpi.PushRow
	for _, r := range rows {
		out = append(out, *r)
	}
	return out, true, nil
}

package kpi

import (
	"fmt"

	"github.com/goalkit/goalkit/internal/colstore"
)

// batchAttrs is room for what the check of a batch's events found in the
// table, so that applying an event does not look it up again: the values
// of event i's attributes by the index of the table's attribute names,
// flat[i*k:(i+1)*k] (k names), when has[i] (else they are to be read from
// its map), and the codes of its kind, actor and currency, codes[i]. The
// writer reuses one from batch to batch.
type batchAttrs struct {
	flat  []any
	has   []bool
	codes []colstore.Codes
}

// keptBatchAttrs is the most events whose room batchAttrs keeps after a
// batch.
const keptBatchAttrs = 4096

// room returns room for n events of k names each.
func (ba *batchAttrs) room(n, k int) (flat []any, has []bool, codes []colstore.Codes) {
	if cap(ba.has) < n {
		ba.has = make([]bool, n)
		ba.codes = make([]colstore.Codes, n)
	}
	if k <= maxKnownNames && cap(ba.flat) < n*k {
		ba.flat = make([]any, n*k)
	}
	flat, has, codes = ba.flat[:cap(ba.flat)], ba.has[:n], ba.codes[:n]
	if n > keptBatchAttrs {
		ba.flat, ba.has, ba.codes = nil, nil, nil // not kept: a big batch now and then
	}
	return flat, has, codes
}

// validateBatch checks every event of a batch against tab, whose attribute
// names are known (see eventCheck); the error names the first event that
// fails. news is false when no event has an attribute name outside known.
// It sets has[i] when event i's attributes are in flat (see batchAttrs),
// and codes[i] to the codes of its kind, actor and currency in tab.
func validateBatch(events []Event, tab *colstore.Table, known []string, flat []any, has []bool, codes []colstore.Codes) (news bool, err error) {
	k := len(known)
	c := eventCheck{known: known, tab: tab}
	for i := range events {
		e := &events[i]
		c.vals = nil
		if !e.Deleted && len(e.Attrs) > 0 && k > 0 && k <= maxKnownNames {
			c.vals = flat[i*k : (i+1)*k : (i+1)*k]
		}
		if err := e.validate(&c); err != nil {
			return false, fmt.Errorf("event %d: %w", i, err)
		}
		has[i] = !c.news && c.vals != nil
		codes[i] = c.codes
		news = news || c.news
	}
	return news, nil
}

// applyBatch applies a batch of valid events in order, setting replaced[i]
// (when replaced is not nil) to the live version event i replaces (see
// trackState.version; a zero Event where none); the error names the event
// that fails (the caller rolls the batch back). flat, has and codes hold
// what the events' check found, k attribute names each (see batchAttrs).
func (st *trackState) applyBatch(events, replaced []Event, k int, flat []any, has []bool, codes []colstore.Codes) error {
	for i := range events {
		var old *Event
		if replaced != nil {
			old = &replaced[i]
		}
		var vals []any
		if has[i] {
			vals = flat[i*k : (i+1)*k : (i+1)*k]
		}
		if err := st.applyVals(&events[i], old, vals, codes[i]); err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
	}
	return nil
}

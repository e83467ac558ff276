package kpi

import (
	"fmt"

	"github.com/goalkit/goalkit/internal/colstore"
)

// checked is what the check of one event of a batch found in the table, so
// that applying the event does not look it up again: whether the values of
// its attributes are in the batch's flat list by the index of the table's
// attribute names (else they are to be read from its map; see batchAttrs),
// and the codes of its kind, actor and currency.
type checked struct {
	vals  bool
	codes colstore.Codes
}

// batchAttrs is room for what the check of a batch's events finds: event
// i's in found[i], its attributes' values in flat[i*k:(i+1)*k] (k names)
// when found[i].vals.
// The writer reuses one from batch to batch.
type batchAttrs struct {
	flat  []any
	found []checked
	// codes is room for the codes of one event's attributes (see
	// eventCheck.attrs).
	codes []colstore.AttrCode
}

// keptBatchAttrs is the most events whose room batchAttrs keeps after a
// batch.
const keptBatchAttrs = 4096

// room returns room for n events of k names each.
func (ba *batchAttrs) room(n, k int) (flat []any, found []checked) {
	if cap(ba.found) < n {
		ba.found = make([]checked, n)
	}
	if k <= maxKnownNames && cap(ba.flat) < n*k {
		ba.flat = make([]any, n*k)
	}
	flat, found = ba.flat[:cap(ba.flat)], ba.found[:n]
	if n > keptBatchAttrs {
		ba.flat, ba.found = nil, nil // not kept: a big batch now and then
	}
	return flat, found
}

// one returns room for the attribute values of one event, k names
// (at most maxKnownNames).
func (ba *batchAttrs) one(k int) []any {
	if cap(ba.flat) < k {
		ba.flat = make([]any, maxKnownNames)
	}
	return ba.flat[:k:k]
}

// oneCodes returns room for the codes of one event's attributes, k names
// (at most maxKnownNames).
func (ba *batchAttrs) oneCodes(k int) []colstore.AttrCode {
	if cap(ba.codes) < k {
		ba.codes = make([]colstore.AttrCode, 0, maxKnownNames)
	}
	return ba.codes[:0:k]
}

// validateBatch checks every event of a batch against tab, whose attribute
// names are known (see eventCheck), and sets found[i] to what the check of
// event i found there, its attributes' values in flat (see batchAttrs); the
// error names the first event that fails. news is false when no event has
// an attribute name outside known.
func validateBatch(events []Event, tab *colstore.Table, known []string, flat []any, found []checked) (news bool, err error) {
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
		found[i] = checked{vals: !c.news && c.vals != nil, codes: c.codes}
		news = news || c.news
	}
	return news, nil
}

// applyBatch applies a batch of valid events in order, setting replaced[i]
// (when replaced is not nil) to the live version event i replaces (see
// trackState.version; a zero Event where none); the error names the event
// that fails (the caller rolls the batch back). flat and found hold what
// the events' check found, k attribute names each (see batchAttrs).
func (st *trackState) applyBatch(events, replaced []Event, k int, flat []any, found []checked) error {
	for i := range events {
		var old *Event
		if replaced != nil {
			old = &replaced[i]
		}
		var vals []any
		if found[i].vals {
			vals = flat[i*k : (i+1)*k : (i+1)*k]
		}
		if err := st.applyVals(&events[i], old, vals, nil, found[i].codes); err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
	}
	return nil
}

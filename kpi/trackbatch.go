package kpi

import "fmt"

// batchAttrs is room for the values of the attributes of a batch's events
// by the index of the table's attribute names, as the batch's check found
// them, so that applying an event does not look them up again: event i's
// are flat[i*k:(i+1)*k] (k names) when has[i], else they are to be read
// from its map. The writer reuses one from batch to batch.
type batchAttrs struct {
	flat []any
	has  []bool
}

// keptBatchAttrs is the most events whose room batchAttrs keeps after a
// batch.
const keptBatchAttrs = 4096

// room returns room for n events of k names each.
func (ba *batchAttrs) room(n, k int) (flat []any, has []bool) {
	if cap(ba.has) < n {
		ba.has = make([]bool, n)
	}
	if k <= maxKnownNames && cap(ba.flat) < n*k {
		ba.flat = make([]any, n*k)
	}
	flat, has = ba.flat[:cap(ba.flat)], ba.has[:n]
	if n > keptBatchAttrs {
		ba.flat, ba.has = nil, nil // not kept: a big batch now and then
	}
	return flat, has
}

// validateBatch checks every event of a batch (see Event.validate for
// known); the error names the first event that fails. news is false when
// no event has an attribute name outside known. It sets has[i] when event
// i's attributes are in flat (see batchAttrs).
func validateBatch(events []Event, known []string, flat []any, has []bool) (news bool, err error) {
	k := len(known)
	for i := range events {
		e := &events[i]
		var vals []any
		if !e.Deleted && len(e.Attrs) > 0 && k > 0 && k <= maxKnownNames {
			vals = flat[i*k : (i+1)*k : (i+1)*k]
		}
		n, err := e.validate(known, vals)
		if err != nil {
			return false, fmt.Errorf("event %d: %w", i, err)
		}
		has[i] = !n && vals != nil
		news = news || n
	}
	return news, nil
}

// applyBatch applies a batch of valid events in order, setting replaced[i]
// (when replaced is not nil) to the live version event i replaces (see
// trackState.version; a zero Event where none); the error names the event
// that fails (the caller rolls the batch back). flat and has hold the
// attributes the events' check found, k names each (see batchAttrs).
func (st *trackState) applyBatch(events, replaced []Event, k int, flat []any, has []bool) error {
	for i := range events {
		var old *Event
		if replaced != nil {
			old = &replaced[i]
		}
		var vals []any
		if has[i] {
			vals = flat[i*k : (i+1)*k : (i+1)*k]
		}
		if err := st.applyVals(&events[i], old, vals); err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
	}
	return nil
}

package kpi

import "fmt"

// batchAttrs holds, for each event of a batch, the values of its attributes
// by the index of the table's attribute names, as the batch's check found
// them, so that applying the event does not look them up again; nil for an
// event whose attributes are to be read from its map. The writer reuses it
// from batch to batch.
type batchAttrs struct {
	flat []any
	rows [][]any
}

// keptBatchAttrs is the most events whose room batchAttrs keeps after a
// batch.
const keptBatchAttrs = 4096

// validateBatch checks every event of a batch (see Event.validate for
// known); the error names the first event that fails. news is false when
// no event has an attribute name outside known. It fills ba for the
// events.
func validateBatch(events []Event, known []string, ba *batchAttrs) (news bool, err error) {
	ba.reset(len(events), known)
	for i := range events {
		e := &events[i]
		var vals []any
		if !e.Deleted && len(e.Attrs) > 0 && len(known) > 0 && len(known) <= maxKnownNames {
			vals = ba.flat[i*len(known) : (i+1)*len(known) : (i+1)*len(known)]
		}
		n, err := e.validate(known, vals)
		if err != nil {
			return false, fmt.Errorf("event %d: %w", i, err)
		}
		if !n && vals != nil {
			ba.rows[i] = vals
		}
		news = news || n
	}
	return news, nil
}

// reset makes room for n events whose attribute names are known.
func (ba *batchAttrs) reset(n int, known []string) {
	if cap(ba.rows) < n {
		ba.rows = make([][]any, n)
	}
	ba.rows = ba.rows[:n]
	clear(ba.rows)
	if k := n * len(known); len(known) <= maxKnownNames && cap(ba.flat) < k {
		ba.flat = make([]any, k)
	}
}

// done lets the room of a big batch go.
func (ba *batchAttrs) done() {
	if cap(ba.rows) > keptBatchAttrs {
		ba.rows, ba.flat = nil, nil
	}
}

// applyBatch applies a batch of valid events in order, setting replaced[i]
// (when replaced is not nil) to the live version event i replaces (see
// trackState.version; a zero Event where none); the error names the event
// that fails (the caller rolls the batch back). ba holds the attributes
// the events' check found (see validateBatch).
func (st *trackState) applyBatch(events, replaced []Event, ba *batchAttrs) error {
	for i := range events {
		var old *Event
		if replaced != nil {
			old = &replaced[i]
		}
		if err := st.applyVals(&events[i], old, ba.rows[i]); err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
	}
	return nil
}

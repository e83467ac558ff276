package kpi

import "fmt"

// validateBatch checks every event of a batch (see Event.validate for
// known); the error names the first event that fails. news is false when
// no event has an attribute name outside known.
func validateBatch(events []Event, known []string) (news bool, err error) {
	for i := range events {
		n, err := events[i].validate(known)
		if err != nil {
			return false, fmt.Errorf("event %d: %w", i, err)
		}
		news = news || n
	}
	return news, nil
}

// applyBatch applies a batch of valid events in order, setting replaced[i]
// (when replaced is not nil) to the live version event i replaces (see
// trackState.version; a zero Event where none); the error names the event
// that fails (the caller rolls the batch back).
func (st *trackState) applyBatch(events, replaced []Event) error {
	for i := range events {
		var old *Event
		if replaced != nil {
			old = &replaced[i]
		}
		if err := st.applyReplacing(&events[i], old); err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
	}
	return nil
}

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

// applyBatch applies a batch of valid events in order; the error names the
// event that fails (the caller rolls the batch back).
func (st *trackState) applyBatch(events []Event) error {
	for i := range events {
		if err := st.apply(&events[i]); err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
	}
	return nil
}

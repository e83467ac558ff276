package exampletest

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// Event is a line of an example's events.ndjson, as encoding/json reads it.
type Event struct {
	ID       string         `json:"id"`
	Deleted  bool           `json:"deleted"`
	Kind     string         `json:"kind"`
	Time     time.Time      `json:"time"`
	Actor    string         `json:"actor"`
	Amount   string         `json:"amount"`
	Currency string         `json:"currency"`
	Attrs    map[string]any `json:"attrs"`
}

// FinalEvents reads an NDJSON events file with a plain loop: the last line
// of an id wins and a deleted line retracts its id. The events come in the
// order of the first line of their ids.
func FinalEvents(t testing.TB, ndjson []byte) []Event {
	t.Helper()
	final := map[string]Event{}
	var order []string
	for _, l := range bytes.Split(bytes.TrimSpace(ndjson), []byte("\n")) {
		var e Event
		if err := json.Unmarshal(l, &e); err != nil {
			t.Fatal(err)
		}
		if e.Deleted {
			delete(final, e.ID)
			continue
		}
		if _, ok := final[e.ID]; !ok {
			order = append(order, e.ID)
		}
		final[e.ID] = e
	}
	var out []Event
	for _, id := range order {
		if e, ok := final[id]; ok {
			out = append(out, e)
			delete(final, id) // an id retracted and written again stands twice in order
		}
	}
	return out
}

package goalkit_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// An empty chance section asks for the chance with every default, as a
// section with its fields written out does; without the section a row has
// no probability.
func TestEmptyChanceSectionMeansTheDefaults(t *testing.T) {
	var events []kpi.Event
	for day := range 45 {
		at := time.Date(2025, 2, 1, 10, 0, 0, 0, time.UTC).AddDate(0, 0, day)
		events = append(events, kpi.Event{ID: fmt.Sprint("c", day), Kind: "call", Actor: "anna", Time: at})
	}
	asOf := time.Date(2025, 3, 16, 0, 0, 0, 0, time.UTC)
	report := func(chance string) []byte {
		t.Helper()
		plan := callsPlan(t, "2025-03-01", "2025-04-01", "    participants: {users: [anna]}\n"+chance)
		return reportJSON(t, mustEvaluate(t, plan, storeOf(t, time.UTC, events...), asOf))
	}
	empty, written, none := report("    chance: {}\n"), report("    chance: {history: 6, decay: 0.75, samples: 1000}\n"), report("")
	if !bytes.Contains(written, []byte(`"probability"`)) {
		t.Fatalf("no probability with the defaults written out:\n%s", written)
	}
	if !bytes.Equal(empty, written) {
		t.Errorf("chance: {}\n%s\nwant the defaults'\n%s", empty, written)
	}
	if bytes.Contains(none, []byte(`"probability"`)) {
		t.Errorf("a probability without the section:\n%s", none)
	}
}

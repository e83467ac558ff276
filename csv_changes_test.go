package goalkit_test

import (
	"bytes"
	"testing"

	"github.com/goalkit/goalkit"
)

// A report holding explained changes (Report.Changes) is refused by the CSV
// writer, as one holding goals is, rather than written without them.
func TestCSVRefusesExplainedChanges(t *testing.T) {
	rep := *goalReport(t)
	rep.Goals = nil
	rep.Changes = []*goalkit.Change{{Indicator: "won", Participant: "*", Base: "2025-02", Current: "2025-03", Kind: goalkit.ChangeAdditive}}
	var b bytes.Buffer
	err := rep.WriteCSV(&b)
	want := "csv holds the indicator values only, and this report also has explained changes: write it as json or table"
	if err == nil || err.Error() != want || b.Len() != 0 {
		t.Fatalf("WriteCSV: %v, %d bytes written; want %q and nothing written", err, b.Len(), want)
	}
}

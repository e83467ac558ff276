package mapping

import (
	"context"
	"strings"
	"testing"
)

// The actor "*" names the whole company's row in reports (org.Everyone):
// a row whose actor column holds it is bad, as a line of an event file
// with that actor is, and nothing of the table is loaded.
func TestActorEveryoneRefused(t *testing.T) {
	m := compileText(t, `timezone: UTC
key: [id]
columns:
  id: {type: string}
  d: {type: date}
  who: {type: string}
events:
  - kind: call
    time: d
    actor: who
`)
	var r recorder
	err := m.LoadCSV(context.Background(), &r, strings.NewReader("id,d,who\n1,2025-03-01,anna\n2,2025-03-02,*\n"), "t.csv", Options{})
	want := `t.csv:3: rule "call": actor column "who" is "*", the whole company's row in reports, not an actor`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	if len(r.got) != 0 {
		t.Errorf("kept %d versions of a refused table", len(r.got))
	}
}

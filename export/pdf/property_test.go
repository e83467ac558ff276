package pdf_test

import (
	"bytes"
	"testing"

	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/pdf"
	"pgregory.net/rapid"
)

// TestAnyReport: the summary of any report of random plans and events
// (sample.Random), and the scorecard of a participant with a card, is a whole
// PDF file, written without an error.
func TestAnyReport(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		plan, rep := sample.Random(t)
		var buf bytes.Buffer
		if err := pdf.Department(&buf, plan, rep, ""); err != nil {
			t.Fatalf("department: %v", err)
		}
		whole(t, "department", buf.Bytes())
		if rep.Scores == nil {
			return
		}
		if cards := rep.Scores.Scorecards; len(cards) > 0 {
			c := cards[rapid.IntRange(0, len(cards)-1).Draw(t, "card")]
			buf.Reset()
			if err := pdf.Person(&buf, plan, rep, c.Participant, c.Label); err != nil {
				t.Fatalf("person %s, %s: %v", c.Participant, c.Label, err)
			}
			whole(t, "person", buf.Bytes())
		}
	})
}

func whole(t *rapid.T, name string, data []byte) {
	if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(data), []byte("%%EOF")) {
		t.Fatalf("%s: not a whole PDF file (%d bytes)", name, len(data))
	}
}

package pdf_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/export/pdf"
	"github.com/goalkit/goalkit/goalkittest"
	"pgregory.net/rapid"
)

// TestAnyReport: the summary of any report of random plans and events
// (goalkittest), and the scorecard of a participant with a card, is a whole
// PDF file, written without an error.
func TestAnyReport(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		def := goalkittest.Plans().Draw(t, "plan")
		plan, err := goalkit.Compile(def)
		if err != nil {
			t.Fatal(err)
		}
		store := memory.New(plan.Calendar().Location())
		if err := store.Apply(goalkittest.PlanStream(plan).Draw(t, "events")...); err != nil {
			t.Fatal(err)
		}
		periods := plan.Periods()
		asOf := plan.Calendar().Midnight(periods[len(periods)-1].End)
		rep, err := plan.Evaluate(context.Background(), store, asOf)
		if err != nil {
			t.Fatal(err)
		}
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

package pdf_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/export/internal/poppler"
	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/pdf"
)

// TestPersonOfAUnitsID: the scorecard of user 1 holds user 1's card, goal,
// bonuses and places only, never department 1's, whose id is the same:
// it took every card and goal row of the id, so the department's card,
// bonus, goal and place on the departments' board read as the person's.
func TestPersonOfAUnitsID(t *testing.T) {
	plan, rep := sample.SharedID(t)
	var buf bytes.Buffer
	if err := pdf.Person(&buf, plan, rep, "1", ""); err != nil {
		t.Fatal(err)
	}
	text := squeeze(poppler.Text(t, buf.Bytes()))
	for _, want := range []string{"Personal card", "My deals", "People board"} {
		if !strings.Contains(text, want) {
			t.Errorf("user 1's scorecard has no %q:\n%s", want, text)
		}
	}
	for _, unit := range []string{"Department card", "Department deals", "team_bonus", "Units board"} {
		if strings.Contains(text, unit) {
			t.Errorf("user 1's scorecard shows department 1's %q:\n%s", unit, text)
		}
	}
}

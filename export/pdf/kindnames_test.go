package pdf_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/export/internal/poppler"
	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/pdf"
)

// TestNamesByKind: with WithNamer the department summary shows department
// 1 and user 1, of one id, each under its own name: the goals of both
// kinds in one table, the bonus of the department's scorecard, the
// departments' and the people's boards. By id alone one name stood for
// both.
func TestNamesByKind(t *testing.T) {
	plan, rep := sample.SharedID(t)
	var buf bytes.Buffer
	if err := pdf.Department(&buf, plan, rep, "", pdf.WithNamer(sample.KindNames)); err != nil {
		t.Fatal(err)
	}
	text := squeeze(poppler.Text(t, buf.Bytes()))
	// Lines of the tables, read by hand from the plan and the events:
	// department 1 won 2 deals (its members 1 and 7), user 1 won one; the
	// department's card scores 13 (20 × 50 % + 10 × 30 %), its bonus pays
	// 13 % of 1000 RUB; the units board ranks both departments (6.5 each:
	// 13 over a headcount of 2), the people board user 1 first (40).
	for _, want := range []string{
		"Head office team_bonus 13 13 % 130.00 ₽",
		"1 Head office 6.5",
		"1 Ivan Admin 40",
		"Goal Department deals\nparticipant target actual achievement expected forecast status rank\nHead office 10 2 ",
		"Goal My deals\nparticipant target actual achievement expected forecast status rank\nIvan Admin 2 1 ",
		// The goal of both kinds: department 1 and user 7.
		"\nVera Lee 4 1 ",
		"\nHead office 4 2 ",
		// The warning that department 1's row is user 1's, of no
		// indicator and no period, names the department alone.
		"\nHead office: group \"1\" has no row",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the summary has no %q:\n%s", want, text)
		}
	}
	for _, wrong := range []string{"Ivan Admin team_bonus", "Head office 40", "Ivan Admin 6.5", "\nHead office 2 1 ", "\nIvan Admin 10 2 ", "\nIvan Admin 4 2 "} {
		if strings.Contains(text, wrong) {
			t.Errorf("the summary names one participant by the other's name: %q in\n%s", wrong, text)
		}
	}
	if *keep != "" {
		if err := os.WriteFile(filepath.Join(*keep, "department-kinds.pdf"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		poppler.Pages(t, buf.Bytes(), 60, *keep)
	}
}

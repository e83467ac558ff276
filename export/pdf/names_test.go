package pdf_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/export/internal/poppler"
	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/pdf"
)

// TestNames: with WithNames every document shows a named participant by
// its name, in its title, tables and headings, and never by its id; a
// participant without a name keeps its id.
func TestNames(t *testing.T) {
	plan, rep := sample.Report(t)
	names := pdf.WithNames(map[string]string{"anna": "Анна Петрова", "boris": "Борис Иванов"})
	ids := regexp.MustCompile(`\b(anna|boris)\b`)
	for _, c := range []struct {
		name  string
		write func(*bytes.Buffer) error
		want  []string
	}{
		{"person", func(w *bytes.Buffer) error { return pdf.Person(w, plan, rep, "boris", "2025-03", names) },
			[]string{"Scorecard: Борис Иванов, 2025-03"}},
		{"department", func(w *bytes.Buffer) error { return pdf.Department(w, plan, rep, "", names) },
			[]string{"Анна Петрова", "Борис Иванов", "vera"}},
		{"goal", func(w *bytes.Buffer) error { return pdf.Goal(w, plan, rep, "revenue_plan", "", names) },
			[]string{"Анна Петрова", "Борис Иванов", "vera"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := c.write(&buf); err != nil {
				t.Fatal(err)
			}
			text := poppler.Text(t, buf.Bytes())
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("no %q in\n%s", w, text)
				}
			}
			if m := ids.FindAllString(text, -1); len(m) > 0 {
				t.Errorf("named participants shown by id: %q in\n%s", m, text)
			}
			if *keep != "" {
				if err := os.WriteFile(filepath.Join(*keep, c.name+"-names.pdf"), buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				poppler.Pages(t, buf.Bytes(), 60, *keep)
			}
		})
	}
}

package pdf_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/export/internal/poppler"
	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/pdf"
)

// TestNamesKeepPageAlias: text from outside that holds the placeholder
// the pages' feet use for the number of pages ("{nb}") prints as it is,
// not as that number: "Anna {nb}" was "Anna 1", a goal named "Plan {nb}"
// "Plan 1"; the feet still count the pages.
func TestNamesKeepPageAlias(t *testing.T) {
	events := strings.ReplaceAll(gatedEvents, `"anna"`, `"Anna {nb}"`)
	def := strings.Replace(gated, "users: [anna", `users: ["Anna {nb}"`, 1)
	plan, rep, err := sample.Evaluate([]byte(def), []byte(events), time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"department": func(w *bytes.Buffer) error { return pdf.Department(w, plan, rep, "") },
		"person":     func(w *bytes.Buffer) error { return pdf.Person(w, plan, rep, "Anna {nb}", "") },
	} {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			t.Fatal(err)
		}
		text := poppler.Text(t, buf.Bytes())
		if !strings.Contains(text, "Anna {nb}") {
			t.Errorf("%s: no \"Anna {nb}\" in\n%s", name, text)
		}
		if !strings.Contains(text, "page 1 of ") || strings.Contains(text, "of {nb}") {
			t.Errorf("%s: the foot does not count the pages:\n%s", name, text)
		}
	}
}

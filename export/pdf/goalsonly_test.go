package pdf_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/export/internal/poppler"
	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/pdf"
)

// A report a host built of goals and scorecards alone (no values) has the
// periods of its cards and goal rows: the summary and a person's scorecard
// without a period are of its latest that has begun, as the same calls
// with that period are; both said that the report had no period.
func TestDocumentsOfAReportWithoutValues(t *testing.T) {
	plan, rep := sample.Report(t)
	parts := &goalkit.Report{AsOf: rep.AsOf, Timezone: rep.Timezone, Goals: rep.Goals, Scores: rep.Scores}
	// The sample is of March 2025, as of 20 March: every card and goal row
	// of March has begun.
	const march = "2025-03"
	for _, c := range []struct {
		name  string
		write func(w *bytes.Buffer, period string) error
	}{
		{"department", func(w *bytes.Buffer, period string) error { return pdf.Department(w, plan, parts, period) }},
		{"person", func(w *bytes.Buffer, period string) error { return pdf.Person(w, plan, parts, "anna", period) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got, want bytes.Buffer
			if err := c.write(&got, ""); err != nil {
				t.Fatal(err)
			}
			if err := c.write(&want, march); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("the default period is not %s:\n%s", march, poppler.Text(t, got.Bytes()))
			}
			if text := poppler.Text(t, got.Bytes()); !strings.Contains(text, march) {
				t.Errorf("the document does not name %s:\n%s", march, text)
			}
		})
	}
}

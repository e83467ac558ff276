package pdf_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/export/internal/poppler"
	"github.com/goalkit/goalkit/export/internal/sample"
	"github.com/goalkit/goalkit/export/pdf"
)

// An amount with no rate on its period's last day (rate: period_end) is
// listed in the department's document with the date whose rate is
// missing, beside the event's own; it said "no rate" beside the event's
// date alone, whose rate the host may have.
func TestUnpricedNamesTheRateDate(t *testing.T) {
	plan, rep := sample.UnpricedAtPeriodEnd(t)
	var buf bytes.Buffer
	if err := pdf.Department(&buf, plan, rep, ""); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(poppler.Text(t, buf.Bytes())), " ")
	if want := "unpriced: revenue event e1, 100 USD on 2025-03-10 (no rate on 2025-03-31)"; !strings.Contains(text, want) {
		t.Errorf("the department's document has no %q:\n%s", want, text)
	}
}

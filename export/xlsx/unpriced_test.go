package xlsx_test

import (
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/export/internal/sample"
)

// An amount with no rate on its period's last day (rate: period_end) is
// listed with the date whose rate is missing, beside the event's own; the
// sheet said "no rate" beside the event's date alone, whose rate the host
// may have.
func TestUnpricedNamesTheRateDate(t *testing.T) {
	plan, rep, err := sample.Evaluate([]byte(`timezone: UTC
indicators:
  - {id: revenue, kinds: [won], aggregate: sum, value: amount, currency: RUB, rate: period_end}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`), []byte(`{"id":"e1","kind":"won","time":"2025-03-10T12:00:00Z","actor":"ann","amount":"100","currency":"USD"}`+"\n"), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := write(t, plan, rep)
	rows, err := f.GetRows("Report")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"unpriced", "revenue: event e1, 100 USD on 2025-03-10 (no rate on 2025-03-31)"}
	if !slices.ContainsFunc(rows, func(r []string) bool { return slices.Equal(r, want) }) {
		t.Errorf("the Report sheet\n%q\nhas no row %q", rows, want)
	}
}

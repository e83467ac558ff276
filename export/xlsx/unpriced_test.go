package xlsx_test

import (
	"slices"
	"testing"

	"github.com/goalkit/goalkit/export/internal/sample"
)

// An amount with no rate on its period's last day (rate: period_end) is
// listed with the date whose rate is missing, beside the event's own; the
// sheet said "no rate" beside the event's date alone, whose rate the host
// may have.
func TestUnpricedNamesTheRateDate(t *testing.T) {
	plan, rep := sample.UnpricedAtPeriodEnd(t)
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

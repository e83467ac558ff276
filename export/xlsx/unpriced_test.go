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

// An unpriced event whose id a spreadsheet would lay out right to left,
// or whose marks of direction would reorder the rest of the line, is
// written as an isolate (U+2068 … U+2069), its own isolate marks left
// out, as the PDF writes it: the id no longer takes ", 100 USD" into its
// run, nor reverses the rest of the cell. An id without such characters
// stays as it is.
func TestUnpricedEventIDIsolated(t *testing.T) {
	for _, c := range []struct{ id, want string }{
		{"e1", "e1"},
		{"עסקה-7", "\u2068עסקה-7\u2069"},
		{"صفقة", "\u2068صفقة\u2069"},
		{"e\u0663", "\u2068e\u0663\u2069"},         // an Arabic digit
		{"e\u202e1", "\u2068e\u202e1\u2069"},       // an override
		{"\u2069e\u2067x\u2069", "\u2068ex\u2069"}, // isolate marks of its own
		{"e\u200f", "\u2068e\u200f\u2069"},         // a right-to-left mark
	} {
		plan, rep := sample.UnpricedAtPeriodEnd(t)
		rep.Values.Unpriced[0].Event = c.id
		f, _ := write(t, plan, rep)
		rows, err := f.GetRows("Report")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"unpriced", "revenue: event " + c.want + ", 100 USD on 2025-03-10 (no rate on 2025-03-31)"}
		if !slices.ContainsFunc(rows, func(r []string) bool { return slices.Equal(r, want) }) {
			t.Errorf("id %+q: the Report sheet\n%+q\nhas no row %+q", c.id, rows, want)
		}
	}
}

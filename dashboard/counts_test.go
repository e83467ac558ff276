package dashboard_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// Counts are numbers too: the events an explanation has past the 200 it
// lists are written in the viewer's locale, grouped as every other count
// of the pages (1,600 and 1 600).
func TestCountsInLocale(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	// Every call of the company over the quarter: 4 a day for each of 6
	// people from 1 October to the 15 December as-of date.
	const path = "/explain?indicator=calls&participant=*&grain=quarter&from=2026-10-01&to=2027-01-01"
	cell := goalkit.Cell{Indicator: "calls", Participant: "*",
		Period: period.Period{Grain: period.Quarter, Start: date.New(2026, 10, 1), End: date.New(2027, 1, 1)}}
	ex, err := f.data.Explain(t.Context(), goal.Viewer{User: "admin", Admin: true}, asOf, cell)
	if err != nil {
		t.Fatal(err)
	}
	more := len(ex.Included) - 200
	if more < 1000 {
		t.Fatalf("%d events past the first 200: the test needs a thousand or more", more)
	}
	for _, c := range []struct{ lang, sep string }{{"en", ","}, {"ru", "\u00a0"}} {
		_, body := get(t, f, path+"&lang="+c.lang, "admin")
		s := strconv.Itoa(more)
		want := `<p class="more">+` + s[:len(s)-3] + c.sep + s[len(s)-3:] + " "
		if !strings.Contains(body, want) {
			i := strings.Index(body, `<p class="more">`)
			t.Errorf("%s: the page lacks %q; it has %q", c.lang, want, body[i:min(len(body), i+60)])
		}
	}
}

package dashboard_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/dashboard"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
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
	ex := adminExplanation(t, f, goalkit.Cell{Indicator: "calls", Participant: "*",
		Period: period.Period{Grain: period.Quarter, Start: date.New(2026, 10, 1), End: date.New(2027, 1, 1)}})
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

// adminExplanation is the fixture's explanation of the cell as an admin
// sees it, which a test counts the page's numbers against.
func adminExplanation(t *testing.T, f *fixture, cell goalkit.Cell) *kpi.Explanation {
	t.Helper()
	ex, err := f.data.Explain(t.Context(), goal.Viewer{User: "admin", Admin: true}, asOf, cell)
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// noCounts is a Data whose explanations list the events left out without
// their counts, as serve's do for a viewer who is no admin.
type noCounts struct{ *trackerData }

func (d noCounts) Explain(ctx context.Context, v goal.Viewer, asOf time.Time, c goalkit.Cell) (*kpi.Explanation, error) {
	ex, err := d.trackerData.Explain(ctx, v, asOf, c)
	if ex != nil {
		cp := *ex
		cp.ExcludedCounts = nil
		ex = &cp
	}
	return ex, err
}

// TestExcludedListSaysOfHowMany: the fold of the events left out counts
// those it lists and says of how many, when it lists some of them only
// (the engine lists at most 20 of each reason); it said "List the events
// (40)" under counts of 491, as if 40 had been left out.
func TestExcludedListSaysOfHowMany(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	const path = "/explain?indicator=revenue&participant=anna&grain=month&from=2026-12-01&to=2027-01-01&lang="
	ex := adminExplanation(t, f, goalkit.Cell{Indicator: "revenue", Participant: "anna",
		Period: period.Period{Grain: period.Month, Start: date.New(2026, 12, 1), End: date.New(2027, 1, 1)}})
	total := 0
	for _, n := range ex.ExcludedCounts {
		total += n
	}
	shown := strconv.Itoa(len(ex.Excluded))
	if len(ex.Excluded) >= total || total >= 1000 {
		t.Fatalf("%d events left out, %d listed: the test needs fewer listed, under a thousand", total, len(ex.Excluded))
	}
	for lang, want := range map[string]string{
		"en": "List the events (" + shown + " of " + strconv.Itoa(total) + ")",
		"ru": "Показать события (" + shown + " из " + strconv.Itoa(total) + ")",
	} {
		if _, body := get(t, f, path+lang, "admin"); !strings.Contains(body, want) {
			t.Errorf("%s: the page does not say %q", lang, want)
		}
	}
	// Without counts the list is all the page knows of.
	h, err := dashboard.New(noCounts{f.data}, dashboard.Options{Viewer: cookieViewer, Now: func() time.Time { return asOf }})
	if err != nil {
		t.Fatal(err)
	}
	if body := serveAs(h, path+"en", "admin").Body.String(); !strings.Contains(body, "List the events ("+shown+")") {
		t.Errorf("without counts: the page does not say %q", "List the events ("+shown+")")
	}
}

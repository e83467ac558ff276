package dashboard_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/dashboard"
	"github.com/goalkit/goalkit/kpi"
)

// TestExplainWindowAndCohort: the explanation of a cumulative indicator
// says from which date its events count (they reach back before the
// period named), and the explanation of a cohort conversion says that its
// events count for their entity's first cohort event, in the viewer's
// language, as the text writer says both; the page listed a year's deals
// under "2026-12" and said nothing of either.
func TestExplainWindowAndCohort(t *testing.T) {
	plan := testPlanWith(t, func(def *goalkit.Definition) {
		def.Indicators = append(def.Indicators,
			kpi.IndicatorDef{ID: "won_ytd", Name: "Deals this year", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, ToDate: "year"},
			kpi.IndicatorDef{ID: "won_after_call", Name: "Deals after a call", Kinds: []string{"deal.won"}, Aggregate: kpi.Count,
				Cohort: &kpi.CohortDef{Of: []string{"call.made"}, Entity: "source"}})
	})
	f := newFixtureOf(t, dashboardOptions(), plan)
	const period = "&participant=anna&grain=month&from=2026-12-01&to=2027-01-01&lang="
	for _, c := range []struct{ indicator, lang, want, not string }{
		{"won_ytd", "en", `Cumulative: the events from <span data-field="from">1 Jan 2026</span> to the period’s end`, "Cohort"},
		{"won_ytd", "ru", `Нарастающим итогом: события с <span data-field="from">01.01.2026</span> до конца периода`, "Когорта"},
		{"won_after_call", "en", `Cohort: each event counts for the date and actor of its entity’s first <code data-field="cohort">call.made</code> event`, "Cumulative"},
		{"won_after_call", "ru", `Когорта: каждое событие считается в дату и за участника первого события <code data-field="cohort">call.made</code> своей сущности`, "Нарастающим"},
		{"revenue", "en", "", "Cumulative"},
	} {
		resp, body := get(t, f, "/explain?indicator="+c.indicator+period+c.lang, "admin")
		if resp.StatusCode != 200 {
			t.Fatalf("%s %s: status %d", c.indicator, c.lang, resp.StatusCode)
		}
		if !strings.Contains(body, c.want) {
			t.Errorf("%s %s: the page does not say %q:\n%s", c.indicator, c.lang, c.want, body)
		}
		if strings.Contains(body, c.not) {
			t.Errorf("%s %s: the page says %q", c.indicator, c.lang, c.not)
		}
	}
}

// TestExplainByNamesItsAttributes: an explanation's address names a
// breakdown row by the attributes of the indicator's by; a by.NAME of no
// such attribute (a mistyped by.sourc=web), or by.NAME without by=1, names
// no row and is 404. The first explained the row of events without the
// source, the second the total, each under an address that asked for the
// web's.
func TestExplainByNamesItsAttributes(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	const base = "/explain?indicator=revenue&participant=anna&grain=month&from=2026-12-01&to=2027-01-01&lang=en"
	checkAnswers(t, f, func(q string) string { return base + q }, []answer{
		{"&by=1&by.source=web", http.StatusOK, "source = web"},
		{"&by=1", http.StatusOK, "source = (none)"},
		{"", http.StatusOK, ""},
		{"&by=1&by.sourc=web", http.StatusNotFound, "This number cannot be explained."},
		{"&by=1&by.source=web&by.region=north", http.StatusNotFound, "This number cannot be explained."},
		{"&by=1&by.sourc.type=int", http.StatusNotFound, "This number cannot be explained."},
		{"&by.source=web", http.StatusNotFound, "This number cannot be explained."},
		{"&by=yes&by.source=web", http.StatusNotFound, "This number cannot be explained."},
	})
}

// TestExplainExcludedWithoutCounts: the events left out that a Data lists
// without counting them (serve counts none for a viewer who is no admin:
// the counts would tell how many events of people they may not see were
// left out) are shown; the page showed the events left out only with
// counts, so such a viewer saw none of their own.
func TestExplainExcludedWithoutCounts(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	at := time.Date(2026, 12, 3, 11, 0, 0, 0, asOf.Location())
	ex := &kpi.Explanation{Indicator: "revenue", Participant: "anna", Label: "2026-12", Aggregate: "sum",
		Excluded: []kpi.Exclusion{{Event: "deal-x", Time: at, Actor: "anna", Reason: "outside the period"}}}
	h, err := dashboard.New(fixedExplanation{f.data, ex}, dashboard.Options{Viewer: cookieViewer})
	if err != nil {
		t.Fatal(err)
	}
	rec := serveAs(h, "/explain?lang=en&indicator=revenue&participant=anna&grain=month&from=2026-12-01&to=2027-01-01", "anna")
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, "<bdi>deal-x</bdi>") || !strings.Contains(body, "<h3>Events left out</h3>") {
		t.Errorf("status %d; the page does not list the event left out:\n%s", rec.Code, body)
	}
	if strings.Contains(body, `class="reasons"`) {
		t.Errorf("the page counts what the Data did not count:\n%s", body)
	}
}

// TestExplainCohortOfSeveralKinds: a cohort of several kinds names each
// in its own code, joined by "or" in the viewer's language, as the text
// writer joins them (its entity's first event of any of them); the page
// wrote "first call.made, meeting.held event", one code, read as a list
// of what all had to happen.
func TestExplainCohortOfSeveralKinds(t *testing.T) {
	plan := testPlanWith(t, func(def *goalkit.Definition) {
		def.Indicators = append(def.Indicators,
			kpi.IndicatorDef{ID: "won_after_touch", Name: "Deals after a touch", Kinds: []string{"deal.won"}, Aggregate: kpi.Count,
				Cohort: &kpi.CohortDef{Of: []string{"call.made", "meeting.held"}, Entity: "source"}})
	})
	f := newFixtureOf(t, dashboardOptions(), plan)
	const path = "/explain?indicator=won_after_touch&participant=anna&grain=month&from=2026-12-01&to=2027-01-01&lang="
	for lang, want := range map[string]string{
		"en": `first <code data-field="cohort">call.made</code> or <code data-field="cohort">meeting.held</code> event`,
		"ru": `первого события <code data-field="cohort">call.made</code> или <code data-field="cohort">meeting.held</code> своей сущности`,
	} {
		resp, body := get(t, f, path+lang, "admin")
		if resp.StatusCode != 200 || !strings.Contains(body, want) {
			t.Errorf("%s: %d, the page does not say %q:\n%s", lang, resp.StatusCode, want, body)
		}
	}
}

// TestExplainBreakdownRowInputs: every input of a formula's breakdown row
// names the row in its heading, the inputs not broken down themselves (a
// count of deals under an average deal by source) too, since each counts
// the row's events only; the heading of such an input named no row, and
// its count read as all of the participant's deals.
func TestExplainBreakdownRowInputs(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	heading := regexp.MustCompile(`(?s)<h2>(.*?)</h2>`)
	for _, lang := range []string{"en", "ru"} {
		_, body := get(t, f, "/explain?indicator=avg_deal&participant=north&grain=month&from=2026-12-01&to=2027-01-01&by=1&by.source=web&lang="+lang, "admin")
		heads := heading.FindAllStringSubmatch(body, -1)
		// The formula's heading, then its two inputs', revenue's and won's.
		if len(heads) != 3 {
			t.Fatalf("%s: %d headings, want 3:\n%s", lang, len(heads), body)
		}
		for _, h := range heads {
			if !strings.Contains(h[1], "· <bdi>source = web</bdi>") {
				t.Errorf("%s: a heading names no row: %s", lang, h[1])
			}
		}
	}
}

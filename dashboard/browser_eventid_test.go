package dashboard_test

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
)

// TestBrowserEventIDsOnOneLine: on a phone's width an explanation's event
// ids stay whole on one line (their table scrolls sideways, as it did for
// its other columns); an id such as deal-anna-20261202 was broken at its
// hyphens over three lines, read as three words.
func TestBrowserEventIDsOnOneLine(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	ctx := newBrowser(t, f.server.URL, "admin")
	for _, lang := range []string{"en", "ru"} {
		url := f.server.URL + "/explain?indicator=revenue&participant=anna&grain=month&from=2026-12-01&to=2027-01-01&lang=" + lang
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 900), chromedp.Navigate(url), chromedp.WaitReady("table.events")); err != nil {
			t.Fatal(err)
		}
		// Open the folds, so that the left-out events are laid out too.
		lines, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(function () {
			document.querySelectorAll("details").forEach(function (d) { d.open = true; });
			return Array.from(document.querySelectorAll("table.events td:first-child bdi")).map(function (b) { return b.getClientRects().length; });
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) < 2 {
			t.Fatalf("%s: %d event ids on the page, want the included and the left out", lang, len(lines))
		}
		for i, n := range lines {
			if n != 1 {
				t.Errorf("%s: event id %d laid out on %v lines, want 1", lang, i, n)
				break
			}
		}
	}
}

// TestBrowserLongNamesWrap: an explanation of long names without spaces
// (an indicator named in snake case, a cohort's kind, a formula's input)
// stays within a phone's width, the names broken where they must be; the
// page grew sideways past the screen, the heading's name cut at its edge.
func TestBrowserLongNamesWrap(t *testing.T) {
	plan := testPlanWith(t, func(def *goalkit.Definition) {
		def.Indicators = append(def.Indicators,
			kpi.IndicatorDef{ID: "won_after_call", Name: "Deals_after_a_call_from_the_enterprise_customers_of_the_north", Kinds: []string{"deal.won"}, Aggregate: kpi.Count,
				Cohort: &kpi.CohortDef{Of: []string{"call.made_to_the_enterprise_customers_of_the_north_west_region"}, Entity: "source"}},
			kpi.IndicatorDef{ID: "swing", Name: "Swing", Formula: "revenue_of_the_enterprise_customers_of_the_north_west - prev(revenue_of_the_enterprise_customers_of_the_north_west)", Unit: "money", Currency: "RUB"},
			kpi.IndicatorDef{ID: "revenue_of_the_enterprise_customers_of_the_north_west", Kinds: []string{"deal.won"}, Aggregate: kpi.Sum, Value: "amount", Currency: "RUB"},
		)
	})
	f := newFixtureOf(t, dashboardOptions(), plan)
	ctx := newBrowser(t, f.server.URL, "admin")
	for _, ind := range []string{"won_after_call", "swing"} {
		for _, lang := range []string{"en", "ru"} {
			url := f.server.URL + "/explain?indicator=" + ind + "&participant=anna&grain=month&from=2026-12-01&to=2027-01-01&lang=" + lang
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 900), chromedp.Navigate(url), chromedp.WaitReady("section.explanation")); err != nil {
				t.Fatal(err)
			}
			w, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[document.documentElement.scrollWidth, document.documentElement.clientWidth]`))
			if err != nil {
				t.Fatal(err)
			}
			if w[0] > w[1] {
				t.Errorf("%s %s: the page is %v pixels wide on a screen of %v", ind, lang, w[0], w[1])
			}
		}
	}
}

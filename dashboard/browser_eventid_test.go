package dashboard_test

import (
	"testing"

	"github.com/chromedp/chromedp"
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

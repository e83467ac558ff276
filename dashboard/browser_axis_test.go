package dashboard_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestBrowserChartDays: the days under a goal's chart are written in the
// page's language, as every other date of the page (1 Dec, 01.12), not in
// the chart library's American month/day (12/1).
func TestBrowserChartDays(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	ctx := newBrowser(t, f.server.URL, "admin")
	// The axes are drawn on a canvas: record its text.
	record := chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `window.drawn = [];
			(function () { var f = CanvasRenderingContext2D.prototype.fillText;
			CanvasRenderingContext2D.prototype.fillText = function (s) { window.drawn.push(String(s)); return f.apply(this, arguments); }; })();`})
		return err
	})
	if err := chromedp.Do(ctx, record); err != nil {
		t.Fatal(err)
	}
	american := regexp.MustCompile(`^\d{1,2}/\d{1,2}$`)
	for lang, day := range map[string]*regexp.Regexp{"en": regexp.MustCompile(`^\d{1,2} Dec$`), "ru": regexp.MustCompile(`^\d{2}\.12$`)} {
		err := chromedp.Do(ctx, chromedp.Navigate(f.server.URL+"/goal?goal=revenue_month&participant=anna&lang="+lang), chromedp.WaitVisible(".chart canvas"))
		if err != nil {
			t.Fatal(err)
		}
		drawn, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.drawn`))
		if err != nil {
			t.Fatal(err)
		}
		days := 0
		for _, s := range drawn {
			if american.MatchString(s) {
				t.Errorf("%s: a day written %q", lang, s)
			}
			if day.MatchString(s) {
				days++
			}
		}
		if days < 3 {
			t.Errorf("%s: %d days under the chart, written as %s, in %q", lang, days, day, drawn)
		}
	}
}

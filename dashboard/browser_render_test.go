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
		drawn := chartTexts[string](t, ctx, 1280, f.server.URL+"/goal?goal=revenue_month&participant=anna&lang="+lang)
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

// chartTexts opens a goal's page at url, width pixels wide, waits for its
// chart and returns what the page's recording script kept of the texts
// drawn on canvases (window.drawn).
func chartTexts[T any](t *testing.T, ctx context.Context, width int64, url string) []T {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(url), chromedp.WaitVisible(".chart canvas")); err != nil {
		t.Fatal(err)
	}
	drawn, err := chromedp.Run(ctx, chromedp.Evaluate[[]T](`window.drawn`))
	if err != nil {
		t.Fatal(err)
	}
	return drawn
}

// TestBrowserCascadeLeaves: a cascade node without children shows no
// open/close marker, its parents do.
func TestBrowserCascadeLeaves(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	ctx := newBrowser(t, f.server.URL, "admin")
	if err := chromedp.Do(ctx, chromedp.Navigate(f.server.URL+"/cascades?lang=en"), chromedp.WaitReady("main")); err != nil {
		t.Fatal(err)
	}
	markers, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".tree summary")).map(function (s) {
		return (s.classList.contains("leaf") ? "leaf " : "node ") + getComputedStyle(s, "::before").content; })`))
	if err != nil {
		t.Fatal(err)
	}
	leaves := 0
	for _, m := range markers {
		switch {
		case m == `leaf ""`:
			leaves++
		case m != `node "▾"`:
			t.Errorf("a marker %s", m)
		}
	}
	if leaves != 6 || len(markers) != 9 {
		t.Errorf("markers %q, want 6 leaves without one of 9 nodes", markers)
	}
}

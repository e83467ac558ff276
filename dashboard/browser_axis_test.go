package dashboard_test

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestBrowserChartAxisFits: the numbers beside a goal's chart are drawn
// whole, however many digits they have: hundreds of millions of roubles,
// in either language, on a phone and on a wide screen, start inside the
// chart's canvas rather than lose their first digits at its left edge.
func TestBrowserChartAxisFits(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	if err := f.data.apply(context.Background(), dealFor("anna", 1, 987_654_321)); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t, f.server.URL, "admin")
	// The axes are drawn on a canvas: record where each text starts and
	// ends, in the canvas's pixels.
	record := chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `window.drawn = [];
			(function () { var f = CanvasRenderingContext2D.prototype.fillText;
			CanvasRenderingContext2D.prototype.fillText = function (s, x) {
				var m = this.getTransform(), w = this.measureText(String(s)).width * m.a, at = m.a * x + m.e;
				var left = this.textAlign === "right" || this.textAlign === "end" ? at - w : this.textAlign === "center" ? at - w / 2 : at;
				window.drawn.push({text: String(s), left: left, right: left + w, width: this.canvas.width});
				return f.apply(this, arguments); }; })();`})
		return err
	})
	if err := chromedp.Do(ctx, record); err != nil {
		t.Fatal(err)
	}
	type drawn struct {
		Text               string
		Left, Right, Width float64
	}
	for _, width := range []int64{412, 1280} {
		for _, lang := range []string{"en", "ru"} {
			texts := chartTexts[drawn](t, ctx, width, f.server.URL+"/goal?goal=revenue_month&participant=anna&lang="+lang)
			long := 0
			for _, d := range texts {
				if len([]rune(d.Text)) >= 11 { // 900,000,000
					long++
				}
				if d.Left < 0 || d.Right > d.Width {
					t.Errorf("%d px, %s: %q is drawn from %.0f to %.0f, outside the canvas's 0 to %.0f", width, lang, d.Text, d.Left, d.Right, d.Width)
				}
			}
			if long == 0 {
				t.Errorf("%d px, %s: no number of nine digits beside the chart in %v", width, lang, texts)
			}
		}
	}
}

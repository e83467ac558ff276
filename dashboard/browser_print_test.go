package dashboard_test

import (
	"context"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserPrint: a goal's page printed from a wide window keeps its
// whole chart on the paper, the statuses, white on their colour, are
// printed with it, and the header's instant is dark on the white paper.
// Printing lays the page out again at the paper's width without a resize,
// so the chart, drawn at the window's width, ran past its panel and its
// last days were cut off; and browsers leave colours behind text out
// unless told, so a status printed white on white and the header's "as
// of" instant, light on the dark header, nearly white on white.
func TestBrowserPrint(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	ctx := newBrowser(t, f.server.URL, "admin")
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1600, 1000),
		chromedp.Navigate(f.server.URL+"/goal?goal=revenue_month&participant=anna&lang=en"),
		chromedp.WaitVisible(".chart canvas"),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The paper's width, as print lays the page out: no resize event, so
	// the chart is not drawn again.
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(function () {
		document.body.style.width = "700px";
		var panel = document.querySelector(".chart").closest(".panel").getBoundingClientRect();
		var c = document.querySelector(".chart canvas"), r = c.getBoundingClientRect();
		return [r.left, r.right, panel.left, panel.right, r.height / r.width, c.height / c.width];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	left, right, panelLeft, panelRight, ratio, drawn := got[0], got[1], got[2], got[3], got[4], got[5]
	if left < panelLeft-1 || right > panelRight+1 {
		t.Errorf("printed, the chart runs from %.0f to %.0f px, past its panel (%.0f to %.0f px)", left, right, panelLeft, panelRight)
	}
	if d := ratio - drawn; d > 0.02 || d < -0.02 {
		t.Errorf("printed, the chart is %.3f as high as wide, drawn %.3f: it is stretched", ratio, drawn)
	}
	adjust, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".card .status, .pill")).map(function (e) {
		var s = getComputedStyle(e); return s.getPropertyValue("print-color-adjust") || s.getPropertyValue("-webkit-print-color-adjust"); })`))
	if err != nil {
		t.Fatal(err)
	}
	if len(adjust) == 0 {
		t.Fatal("the page has no status")
	}
	for i, a := range adjust {
		if a != "exact" {
			t.Errorf("status %d prints its colour %q, want exact", i, a)
			break
		}
	}
	// The relative luminance of the instant's colour (WCAG), which the
	// paper's white must be at least 4.5 times as bright as.
	lum, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(function () {
		var m = getComputedStyle(document.querySelector(".asof")).color.match(/[\d.]+/g).map(Number);
		var c = m.slice(0, 3).map(function (v) { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
		return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if contrast := 1.05 / (lum + 0.05); contrast < 4.5 {
		t.Errorf("printed, the instant's contrast with the paper is %.2f, want at least 4.5", contrast)
	}
}

package dashboard_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// TestBrowserChartLegend: the legend under a goal's chart names its lines
// as words of the page, without the data tables' frame and rules; a line's
// value, and its colon, show only under the cursor, and so does the day.
// Off the chart, the legend read "Date: Plan: Actual:" with a colon before
// nothing, in a bordered box as wide as the chart, each missing value a
// stub of a table's rule.
func TestBrowserChartLegend(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	ctx := newBrowser(t, f.server.URL, "admin")
	const read = `(function () {
		var l = document.querySelector(".chart .u-legend"), out = [];
		if (getComputedStyle(l).borderTopWidth !== "0px") out.push("framed");
		l.querySelectorAll("tr").forEach(function (tr) {
			if (getComputedStyle(tr).display === "none") return;
			var td = tr.querySelector("td"), after = getComputedStyle(tr.querySelector("th"), "::after").content;
			var s = tr.querySelector("th").innerText.trim() + (after === "none" || after === "normal" ? "" : after.replace(/"/g, "")) + td.innerText.trim();
			if (getComputedStyle(td).borderBottomWidth !== "0px") s += " (ruled)";
			out.push(s);
		});
		return out.join(" | ");
	})()`
	for lang, want := range map[string]struct{ off, on string }{
		"en": {"Plan | Actual | P90 | Median forecast | P10", "Date:"},
		"ru": {"План | Факт | P90 | Медианный прогноз | P10", "Дата:"},
	} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(f.server.URL+"/goal?goal=revenue_month&participant=anna&lang="+lang), chromedp.WaitVisible(".chart .u-legend")); err != nil {
			t.Fatal(err)
		}
		off, err := chromedp.Run(ctx, chromedp.Evaluate[string](read))
		if err != nil {
			t.Fatal(err)
		}
		if off != want.off {
			t.Errorf("%s: the legend off the chart reads %q, want %q", lang, off, want.off)
		}
		// Under the cursor, in the middle of the chart: the day and the
		// lines' values, each after its colon.
		box, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(function () { var r = document.querySelector(".chart .u-over").getBoundingClientRect(); return [r.left + r.width / 4, r.top + r.height / 2]; })()`))
		if err != nil {
			t.Fatal(err)
		}
		move := chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: box[0], Y: box[1]})
			return err
		})
		if err := chromedp.Do(ctx, move); err != nil {
			t.Fatal(err)
		}
		on, err := chromedp.Run(ctx, chromedp.Evaluate[string](read))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(on, want.on) || strings.Contains(on, "ruled") || strings.Count(on, ":") < 3 {
			t.Errorf("%s: the legend under the cursor reads %q, want the day (%s…) and each line's value after a colon", lang, on, want.on)
		}
	}
}

package dashboard_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserLiveKeepsPlace: when a change brings the page's numbers
// again, the folds the reader closed stay closed and the link the keyboard
// is on keeps the focus. The new numbers replaced the page's main part
// whole: every fold of a cascade opened again at each change, and the
// keyboard's focus went back to the top of the page.
func TestBrowserLiveKeepsPlace(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	ctx := openLive(t, f.server.URL, "/cascades?lang=en", "details summary a.explain", 10*time.Second)
	// Close the second fold (a unit's) and put the keyboard on the link of
	// its summary, which stays in view.
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function () {
		document.querySelectorAll("details")[1].open = false;
		var a = document.querySelectorAll("a.explain")[1];
		a.focus();
		return document.activeElement === a ? a.getAttribute("href") : "";
	})()`))
	if err != nil || href == "" {
		t.Fatalf("no link to focus (%v)", err)
	}
	if err := f.data.apply(t.Context(), dealFor("anna", 1, 123456)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.body.hasAttribute("data-refreshed")`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the page did not read its numbers again: %v", err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]any](`(function () {
		var d = document.querySelectorAll("details"), a = document.activeElement;
		return [d[0].open, d[1].open, a.tagName, a.getAttribute("href") || ""];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if got[0] != true || got[1] != false {
		t.Errorf("after the change the first two folds are open: %v, %v; want true, false", got[0], got[1])
	}
	if got[2] != "A" || got[3] != href {
		t.Errorf("after the change the focus is on %v %q, want the link %q", got[2], got[3], href)
	}
}

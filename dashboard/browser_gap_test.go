package dashboard_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/goalkit/goalkit/dashboard/browsertest"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/testenv"
)

// annaActual is the selector of anna's actual on the goals page.
const annaActual = `article.card[data-goal="revenue_month"][data-participant="anna"] [data-field="actual"]`

// waitShows waits, within wait, until the element of sel shows want; the
// element is read from the page as it stands, never from a node being
// replaced.
func waitShows(t *testing.T, ctx context.Context, sel, want string, wait time.Duration, when string) {
	t.Helper()
	js := `(function () { var el = document.querySelector(` + strconv.Quote(sel) + `); return el !== null && el.textContent === ` + strconv.Quote(want) + `; })()`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(wait), chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		got, _ := chromedp.Run(ctx, chromedp.Text(sel))
		t.Fatalf("%s: the page shows %q, want %q: %v", when, got, want, err)
	}
}

// stayed fails the test when the page was reloaded since the test set
// window.notReloaded.
func stayed(t *testing.T, ctx context.Context) {
	t.Helper()
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.notReloaded === true`))
	if err != nil || !ok {
		t.Errorf("the page was reloaded (%v)", err)
	}
}

// TestBrowserChangeBeforeConnect: an event applied after the page was
// rendered and before it connected to the stream is shown once it
// connects, without a reload and without another change. The page showed
// the number of its render until the next change.
func TestBrowserChangeBeforeConnect(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	opts := dashboardOptions()
	opts.StreamURL = "./gated"
	h := dashboardOver(t, f, opts)
	before := expectedCards(t, f, goal.Viewer{Admin: true})["revenue_month/anna"].Actual
	var once sync.Once
	mux := http.NewServeMux()
	mux.Handle("/", h)
	mux.HandleFunc("/gated", func(w http.ResponseWriter, r *http.Request) {
		// The page is rendered: the change lands before its stream is
		// open.
		once.Do(func() {
			if err := f.data.apply(r.Context(), dealFor("anna", 1, 123456)); err != nil {
				t.Error(err)
			}
		})
		r.URL.Path = "/changes"
		f.server.Config.Handler.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	ctx := openLive(t, srv.URL, "/?lang=en", annaActual, 10*time.Second)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`)); err != nil {
		t.Fatal(err)
	}
	after := expectedCards(t, f, goal.Viewer{Admin: true})["revenue_month/anna"].Actual
	if after == before {
		t.Fatalf("the event did not change the report (%s)", after)
	}
	waitShows(t, ctx, annaActual, after, 5*time.Second, "the change before the page connected")
	stayed(t, ctx)
	browsertest.Screenshot(t, ctx, filepath.Join(testenv.Artifacts(t), "goals-after-gap.png"))
}

// TestBrowserNoChangeNoRefresh: a page whose data did not change between
// its render and its connection does not read itself again.
func TestBrowserNoChangeNoRefresh(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	ctx := openLive(t, f.server.URL, "/?lang=en", annaActual, 10*time.Second)
	// Longer than a refresh takes to start (150 ms) and to finish.
	time.Sleep(time.Second)
	refreshed, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.body.hasAttribute("data-refreshed")`))
	if err != nil {
		t.Fatal(err)
	}
	if refreshed {
		t.Error("the page read itself again, though nothing changed since its render")
	}
}

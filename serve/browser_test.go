package serve

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/goalkit/goalkit/dashboard/browsertest"
	"github.com/goalkit/goalkit/internal/testenv"
	"github.com/goalkit/goalkit/kpi"
)

// browse starts a headless chromium with a profile of its own and signs
// in to the server with the token, as a link with access_token does.
func browse(t *testing.T, server, token string) context.Context {
	t.Helper()
	ctx := browsertest.Tab(t)
	err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(server+"/?lang=en&access_token="+token), chromedp.WaitReady("main"))
	if err != nil {
		t.Fatal(err)
	}
	return ctx
}

// shot writes the page as a PNG under $GOALKIT_ARTIFACTS (or a temporary
// directory) for people to look at.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	browsertest.Screenshot(t, ctx, filepath.Join(testenv.Artifacts(t), name+".png"))
}

// The whole stack: a viewer's pages (goals, ranking, teams, cascades) show
// no one outside their scope.
func TestBrowserScope(t *testing.T) {
	f := newFixture(t, nil)
	f.post(deal("d1", "n1", "61000", day(3, 10)), deal("d2", "n2", "17000", day(4, 10)),
		deal("d3", "s2", "93000", day(5, 10)), deal("d4", "s3", "5000", day(6, 10)), call("c1", "n3", day(6, 11)))
	srv := httptest.NewServer(f.srv)
	t.Cleanup(srv.Close) // after the browser's cleanup, which ends its stream
	ctx := browse(t, srv.URL, n2Token)
	cards, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("article.card")).map(function (c) { return c.dataset.participant; })`))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(cards)
	cards = slices.Compact(cards)
	// n2 sees their own rows, their team's (not the private goal's) and
	// the company's.
	if strings.Join(cards, ",") != "*,n2,north" {
		t.Errorf("n2's cards: %v", cards)
	}
	shot(t, ctx, "goals-n2")
	for _, page := range []string{"/", "/ranking", "/teams", "/cascades", "/scorecards"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+page+"?lang=en"), chromedp.WaitReady("main")); err != nil {
			t.Fatal(err)
		}
		text, err := chromedp.Run(ctx, chromedp.Text("main"))
		if err != nil {
			t.Fatal(err)
		}
		for _, other := range []string{"n1", "n3", "s1", "s2", "s3", "south", "61,000", "93,000", "5,000"} {
			if strings.Contains(text, other) {
				t.Errorf("%s shows n2 %q:\n%s", page, other, text)
			}
		}
	}
}

// The whole stack: an open page moves when an event is posted to the API.
func TestBrowserUpdatesAfterPost(t *testing.T) {
	f := newFixture(t, nil)
	f.post(deal("d1", "n2", "17000", day(4, 10)))
	srv := httptest.NewServer(f.srv)
	t.Cleanup(srv.Close) // after the browser's cleanup, which ends its stream
	ctx := browse(t, srv.URL, n2Token)
	actual := `article.card[data-goal="revenue_user"][data-participant="n2"] [data-field="actual"]`
	// Read in one evaluation: the page swaps its cards when it refreshes,
	// so a node found by one call may be gone at the next.
	read := func() string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function () { var e = document.querySelector(`+strconv.Quote(actual)+`); return e ? e.textContent.trim() : ""; })()`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if got := read(); got != "17,000" {
		t.Fatalf("n2's actual before: %q", got)
	}
	// Wait for the page to be listening, then post a deal of 4 321.
	if err := chromedp.Do(ctx, chromedp.WaitVisible("#live")); err != nil {
		t.Fatal(err)
	}
	body := ndjson(t, []kpi.Event{deal("d2", "n2", "4321", day(5, 10))})
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/events", strings.NewReader(string(body)))
	req.Header.Set("Authorization", "Bearer "+writerToken)
	req.Header.Set("Content-Type", "application/x-ndjson")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("POST: %v %v", resp, err)
	}
	resp.Body.Close()
	deadline := time.Now().Add(10 * time.Second)
	for read() != "21,321" {
		if time.Now().After(deadline) {
			t.Fatalf("the page still shows %q, want 21,321", read())
		}
		time.Sleep(100 * time.Millisecond)
	}
	shot(t, ctx, "goals-n2-after-post")
}

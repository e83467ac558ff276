package dashboard_test

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/dashboard/browsertest"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/testenv"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// newBrowser starts a headless chromium of its own (a new profile) and
// returns a tab's context, with the viewer's cookie set for the server.
func newBrowser(t *testing.T, server, viewer string) context.Context {
	t.Helper()
	ctx := browsertest.Tab(t)
	setCookie := chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: "viewer", Value: viewer, URL: server})
		return err
	})
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank"), setCookie); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// screenshot writes the whole page as a PNG at the width.
func screenshot(t *testing.T, ctx context.Context, url string, width, height int64, file string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(width, height),
		chromedp.Navigate(url),
		chromedp.WaitReady("main"),
		chromedp.Sleep(300*time.Millisecond),
	)
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, file)
}

func TestBrowserScreenshots(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	ctx := newBrowser(t, f.server.URL, "admin")
	dir := testenv.Artifacts(t)
	pages := []struct{ name, path string }{
		{"goals", "/"},
		{"goal", "/goal?goal=revenue_month&participant=anna"},
		{"ranking", "/ranking"},
		{"scorecards", "/scorecards"},
		{"teams", "/teams"},
		{"cascades", "/cascades"},
		{"explain", "/explain?indicator=revenue&participant=anna&grain=month&from=2026-12-01&to=2027-01-01"},
		{"goals-ru", "/?lang=ru"},
		{"goal-ru", "/goal?goal=revenue_month&participant=anna&lang=ru"},
		{"breakdowns", "/breakdowns?lang=en"},
		{"breakdowns-ru", "/breakdowns?lang=ru"},
		{"stats", "/stats?lang=en"},
		{"stats-ru", "/stats?lang=ru"},
		{"explain-by", "/explain?indicator=avg_deal&participant=north&grain=month&from=2026-12-01&to=2027-01-01&by=1&by.source=web&lang=en"},
		{"kiosk", "/?kiosk=1&lang=en"},
	}
	for _, p := range pages {
		screenshot(t, ctx, f.server.URL+p.path, 1280, 900, filepath.Join(dir, p.name+"-desktop.png"))
		screenshot(t, ctx, f.server.URL+p.path, 412, 915, filepath.Join(dir, p.name+"-phone.png"))
	}
}

// domCard is a goal card as the browser shows it.
type domCard struct {
	Goal        string `json:"goal"`
	Participant string `json:"participant"`
	Percent     string `json:"percent"`
	Actual      string `json:"actual"`
	Target      string `json:"target"`
	Remaining   string `json:"remaining"`
	Expected    string `json:"expected"`
	Forecast    string `json:"forecast"`
	Chance      string `json:"chance"`
	Range       string `json:"range"`
}

const readCards = `Array.from(document.querySelectorAll("article.card")).map(function (c) {
	var f = function (name) { var e = c.querySelector('[data-field="' + name + '"]'); return e ? e.textContent : ""; };
	return {goal: c.dataset.goal, participant: c.dataset.participant, percent: f("percent"), actual: f("actual"),
		target: f("target"), remaining: f("remaining"), expected: f("expected"), forecast: f("forecast"),
		chance: f("chance"), range: f("range")};
})`

// expectedCards are the cards of the goals page, from the report as the
// test computes it: the rows of the instance that holds the as-of date,
// written by the test's own formatter.
func expectedCards(t *testing.T, f *fixture, viewer goal.Viewer) map[string]domCard {
	t.Helper()
	rep := f.report(t, viewer)
	today := f.data.plan.Calendar().Date(asOf)
	want := map[string]domCard{}
	for _, r := range rep.Goals.Rows {
		if !r.Period.Contains(today) {
			continue
		}
		num := enRUB
		if r.Goal == "company_deals" || r.Goal == "onboarding" {
			num = enPlain
		}
		c := domCard{
			Goal: r.Goal, Participant: r.Participant, Percent: enPercent(r.Achievement.Uncapped),
			Actual: num(r.Actual), Target: num(r.Target), Remaining: num(r.Remaining),
			Expected: num(r.Expected), Forecast: num(r.Forecast),
		}
		if r.Chance.Reach.Valid && !r.Ended {
			c.Chance = enChance(r.Chance.Reach.Decimal) + " likely to reach " + num(r.Target)
			c.Range = strings.TrimSuffix(num(r.Chance.P10), nbsp+"RUB") + " – " + num(r.Chance.P90)
		}
		want[r.Goal+"/"+r.Participant] = c
	}
	return want
}

func TestBrowserNumbers(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	ctx := newBrowser(t, f.server.URL, "admin")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(f.server.URL+"/?lang=en"), chromedp.WaitVisible("article.card")); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]domCard](readCards))
	if err != nil {
		t.Fatal(err)
	}
	want := expectedCards(t, f, goal.Viewer{Admin: true})
	if len(got) != len(want) || len(want) != 11 {
		t.Fatalf("%d cards on the page, %d rows in the report (want 11: 6 people, 2 teams, the company, 2 checklists)", len(got), len(want))
	}
	for _, c := range got {
		w, ok := want[c.Goal+"/"+c.Participant]
		if !ok {
			t.Errorf("a card the report does not have: %+v", c)
			continue
		}
		if c != w {
			t.Errorf("card %s/%s:\n got %+v\nwant %+v", c.Goal, c.Participant, c, w)
		}
	}
}

func TestBrowserExplain(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	ctx := newBrowser(t, f.server.URL, "anna")
	sel := `article.card[data-goal="revenue_month"][data-participant="anna"] [data-field="actual"] a`
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(412, 915),
		chromedp.Navigate(f.server.URL+"/?lang=en"),
		chromedp.WaitVisible(sel),
		chromedp.Click(sel),
		chromedp.WaitVisible("section.explanation"),
	)
	if err != nil {
		t.Fatal(err)
	}
	value, err := chromedp.Run(ctx, chromedp.Text(`[data-field="value"]`))
	if err != nil {
		t.Fatal(err)
	}
	ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("table.included tbody tr td:first-child")).map(function (td) { return td.textContent; })`))
	if err != nil {
		t.Fatal(err)
	}
	// The explanation the engine gives, and the events of anna's deals in
	// December that the fixture made.
	dec := period.Period{Grain: period.Month, Start: date.New(2026, 12, 1), End: date.New(2027, 1, 1)}
	ex, err := f.data.plan.Explain(t.Context(), f.data.tr.Indicators(), asOf, goalkit.Cell{Indicator: "revenue", Participant: "anna", Period: dec})
	if err != nil {
		t.Fatal(err)
	}
	if value != enRUB(ex.Value) {
		t.Errorf("the explanation shows %q, the engine explains %q", value, enRUB(ex.Value))
	}
	var want []string
	for _, c := range ex.Included {
		want = append(want, c.Event)
	}
	if len(want) == 0 || !slices.Equal(ids, want) {
		t.Errorf("events on the page %v, want %v", ids, want)
	}
	for _, id := range ids {
		if !strings.HasPrefix(id, "deal-anna-202612") {
			t.Errorf("event %s is not one of anna's December deals", id)
		}
	}
	browsertest.Screenshot(t, ctx, filepath.Join(testenv.Artifacts(t), "explain-anna-phone.png"))
}

// TestBrowserViewerScope: on every page anna sees, the text and the HTML
// the browser holds (after the scripts ran) name no one outside her scope.
func TestBrowserViewerScope(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	ctx := newBrowser(t, f.server.URL, "anna")
	dir := testenv.Artifacts(t)
	for i, path := range pagePaths {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(412, 915), chromedp.Navigate(f.server.URL+path), chromedp.WaitReady("main")); err != nil {
			t.Fatal(err)
		}
		html, err := chromedp.Run(ctx, chromedp.OuterHTML("html"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range people {
			if p != "anna" && (strings.Contains(html, p) || strings.Contains(html, shownAs(p))) {
				t.Errorf("%s: anna's page names %q", path, p)
			}
		}
		if i == 0 {
			browsertest.Screenshot(t, ctx, filepath.Join(dir, "goals-anna-phone.png"))
		}
	}
}

// TestBrowserLive: an event applied to the tracker moves the number on an
// open page through the stream, without a reload.
func TestBrowserLive(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	movesLive(t, f, f.server.URL, 10*time.Second)
}

// openLive opens the page at path of the dashboard at server as an admin,
// 1280 px wide, and waits until sel is visible and the page is connected
// to the stream (within connect).
func openLive(t *testing.T, server, path, sel string, connect time.Duration) context.Context {
	t.Helper()
	ctx := newBrowser(t, server, "admin")
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(server+path),
		chromedp.WaitVisible(sel),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!document.getElementById("live").hidden`, chromedp.WithPollingTimeout(connect))); err != nil {
		t.Fatalf("the page did not connect to the stream: %v", err)
	}
	return ctx
}

// movesLive opens the goals page of the dashboard at server, waits until
// it is connected to the stream (within connect), applies an event to the
// fixture's tracker and waits until the page shows anna's new actual
// without a reload.
func movesLive(t *testing.T, f *fixture, server string, connect time.Duration) {
	t.Helper()
	sel := annaActual
	// The page is connected to the stream before the event is applied.
	ctx := openLive(t, server, "/?lang=en", sel, connect)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`)); err != nil {
		t.Fatal(err)
	}
	// A page that connects again reads itself again once the stream is
	// open, and puts its new <main> in place of the old one: the card is
	// read from the page as it stands, never from a node being replaced.
	before := expectedCards(t, f, goal.Viewer{Admin: true})["revenue_month/anna"].Actual
	waitShows(t, ctx, sel, before, 5*time.Second, "before")
	if err := f.data.apply(t.Context(), dealFor("anna", 1, 123456)); err != nil {
		t.Fatal(err)
	}
	after := expectedCards(t, f, goal.Viewer{Admin: true})["revenue_month/anna"].Actual
	if after == before {
		t.Fatalf("the event did not change the report (%s)", after)
	}
	waitShows(t, ctx, sel, after, 10*time.Second, "after the event")
	stayed(t, ctx)
}

// TestBrowserPhone: at 412 px no page is wider than the screen (wide
// tables scroll inside their box), and the chart of a goal is drawn, with
// the server's numbers in its legend.
func TestBrowserPhone(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	ctx := newBrowser(t, f.server.URL, "admin")
	for _, path := range append(pagePaths, "/?lang=ru", "/?kiosk=1") {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(412, 915), chromedp.Navigate(f.server.URL+path), chromedp.WaitReady("main")); err != nil {
			t.Fatal(err)
		}
		width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if width > 412 {
			t.Errorf("%s: the page is %d px wide on a 412 px phone", path, width)
		}
		// The stacked tables (every period, breakdowns, statistics) fit
		// the screen: they never scroll sideways.
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Array.from(document.querySelectorAll("table.stack")).filter(function (t) { return t.parentElement.scrollWidth > t.parentElement.clientWidth; }).length`))
		if err != nil {
			t.Fatal(err)
		}
		if wide > 0 {
			t.Errorf("%s: %d stacked tables scroll sideways on a 412 px phone", path, wide)
		}
	}
	err := chromedp.Do(ctx, chromedp.Navigate(f.server.URL+"/goal?goal=revenue_month&participant=anna&lang=en"), chromedp.WaitVisible(".chart canvas"))
	if err != nil {
		t.Fatal(err)
	}
	// The legend shows a day's numbers when the cursor is over it: hover
	// the series' last day, then the period's last, where the range of
	// the final value stands.
	rep := f.report(t, goal.Viewer{Admin: true})
	var row goal.Row
	for _, r := range rep.Goals.Rows {
		if r.Goal == "revenue_month" && r.Participant == "anna" && r.Period.Contains(dateOf(asOf)) {
			row = *r
		}
	}
	last := row.Series[len(row.Series)-1]
	legendAt := func(i int) []string {
		t.Helper()
		box, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(function () {
			var el = document.querySelector(".chart"), xs = JSON.parse(el.getAttribute("data-x"));
			var r = el.querySelector(".u-over").getBoundingClientRect(), i = `+strconv.Itoa(i)+` < 0 ? xs.length - 1 : `+strconv.Itoa(i)+`;
			return [r.left + (r.width - 1) * (xs[i] - xs[0]) / (xs[xs.length - 1] - xs[0]), r.top + r.height / 2]; })()`))
		if err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.MouseEvent("mouseMoved", box[0], box[1])); err != nil {
			t.Fatal(err)
		}
		var legend []string
		err = chromedp.Do(ctx, chromedp.Sleep(200*time.Millisecond))
		if err == nil {
			legend, err = chromedp.Run(ctx, chromedp.Poll[[]string](`(function () {
			var v = Array.from(document.querySelectorAll(".chart .u-legend .u-value")).map(function (e) { return e.textContent; });
			return v.length === 6 && v[0] !== "" ? v : null; })()`, chromedp.WithPollingTimeout(5*time.Second)))
		}
		if err != nil {
			t.Fatalf("the legend shows no values: %v", err)
		}
		return legend
	}
	if want := []string{"15 Dec 2026", enRUB(last.Plan), enRUB(last.Actual), "—", "—", "—"}; !slices.Equal(legendAt(len(row.Series)-1), want) {
		t.Errorf("legend on the last day of the series, want %q", want)
	}
	end := []string{"31 Dec 2026", "—", "—", enRUB(row.Chance.P90), enRUB(row.Chance.P50), enRUB(row.Chance.P10)}
	if got := legendAt(-1); !slices.Equal(got, end) {
		t.Errorf("legend at the period's end %q, want %q", got, end)
	}
}

// TestBrowserKiosk: a kiosk page reads its numbers again on its timer,
// even when the stream says nothing.
func TestBrowserKiosk(t *testing.T) {
	opts := dashboardOptions()
	opts.KioskRefresh = time.Second
	f := newFixture(t, opts)
	ctx := newBrowser(t, f.server.URL, "admin")
	sel := annaActual
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(f.server.URL+"/?kiosk=1&lang=en"), chromedp.WaitVisible(sel)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`)); err != nil {
		t.Fatal(err)
	}
	// Applied to the tracker without telling the stream.
	if err := f.data.tr.Apply(t.Context(), dealFor("anna", 2, 1000)); err != nil {
		t.Fatal(err)
	}
	after := expectedCards(t, f, goal.Viewer{Admin: true})["revenue_month/anna"].Actual
	js := `document.querySelector(` + strconv.Quote(sel) + `).textContent === ` + strconv.Quote(after) + ` && window.notReloaded === true`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(10*time.Second), chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
		got, _ := chromedp.Run(ctx, chromedp.Text(sel))
		t.Fatalf("the kiosk page shows %q, want %q: %v", got, after, err)
	}
}

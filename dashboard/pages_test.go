package dashboard_test

import (
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/dashboard"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// pagePaths are every page of the dashboard, with a cell anna's viewers
// may explain.
var pagePaths = []string{
	"/",
	"/goal?goal=revenue_month&participant=anna",
	"/ranking",
	"/scorecards",
	"/teams",
	"/cascades",
	"/explain?indicator=revenue&participant=anna&grain=month&from=2026-12-01&to=2027-01-01",
	"/explain?indicator=avg_deal&participant=anna&grain=month&from=2026-12-01&to=2027-01-01",
	"/breakdowns",
	"/stats",
	"/explain?indicator=revenue&participant=anna&grain=month&from=2026-12-01&to=2027-01-01&by=1&by.source=web",
	"/explain?indicator=avg_deal&participant=anna&grain=month&from=2026-12-01&to=2027-01-01&by=1",
}

// get fetches a page as the viewer ("" sends no viewer) with the headers.
func get(t testing.TB, f *fixture, path, viewer string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", f.server.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if viewer != "" {
		req.AddCookie(&http.Cookie{Name: "viewer", Value: viewer})
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// serveAs answers a GET of path from h, asked by the viewer of the cookie.
func serveAs(h http.Handler, path, viewer string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	req.AddCookie(&http.Cookie{Name: "viewer", Value: viewer})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

var (
	inlineScript = regexp.MustCompile(`<script(?:\s[^>]*)?>`)
	scriptSrc    = regexp.MustCompile(`^<script src="\./assets/[^"]+" defer>$`)
	styleAttr    = regexp.MustCompile(`\sstyle=`)
	eventAttr    = regexp.MustCompile(`\son[a-z]+=`)
)

// checkPage checks what every page must be: HTML, under a policy that
// allows no inline script or style, with scripts only from the assets, and
// no inline style attribute or event handler for the policy to block.
func checkPage(t *testing.T, path string, resp *http.Response, body string) {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("%s: Content-Security-Policy %q lacks %q", path, csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") {
		t.Errorf("%s: Content-Security-Policy %q allows unsafe sources", path, csp)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: no X-Content-Type-Options: nosniff", path)
	}
	for _, tag := range inlineScript.FindAllString(body, -1) {
		if !scriptSrc.MatchString(tag) {
			t.Errorf("%s: a script that is not an asset: %s", path, tag)
		}
	}
	if strings.Count(body, "</script>") != len(inlineScript.FindAllString(body, -1)) {
		t.Errorf("%s: script elements do not all close right after opening", path)
	}
	if m := styleAttr.FindString(body); m != "" {
		t.Errorf("%s: an inline style attribute", path)
	}
	if m := eventAttr.FindString(body); m != "" {
		t.Errorf("%s: an inline event handler %q", path, m)
	}
}

func TestPages(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	for _, path := range pagePaths {
		resp, body := get(t, f, path, "admin")
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", path, resp.StatusCode)
			continue
		}
		checkPage(t, path, resp, body)
		if !strings.Contains(body, `<main id="main">`) {
			t.Errorf("%s: no main element", path)
		}
	}
}

func TestAssets(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	for path, ct := range map[string]string{
		"/assets/dashboard.js":                   "text/javascript; charset=utf-8",
		"/assets/dashboard.css":                  "text/css; charset=utf-8",
		"/assets/vendor/uplot/uPlot.iife.min.js": "text/javascript; charset=utf-8",
		"/assets/vendor/uplot/uPlot.min.css":     "text/css; charset=utf-8",
	} {
		// Assets hold no data: they are served without a viewer.
		resp, body := get(t, f, path, "")
		if resp.StatusCode != http.StatusOK || len(body) == 0 {
			t.Errorf("%s: status %d, %d bytes", path, resp.StatusCode, len(body))
		}
		if got := resp.Header.Get("Content-Type"); got != ct {
			t.Errorf("%s: Content-Type %q, want %q", path, got, ct)
		}
	}
	for _, path := range []string{"/assets/", "/assets/vendor/", "/assets/nothing.js"} {
		if resp, _ := get(t, f, path, ""); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, resp.StatusCode)
		}
	}
}

// checkSilent fetches the pages as the viewer and checks that each answers
// the status with one body, the same for every page, that names none of
// hidden and, inside main, shows no number.
func checkSilent(t *testing.T, f *fixture, viewer string, status int, paths, hidden []string) {
	t.Helper()
	var first string
	for _, path := range paths {
		resp, body := get(t, f, path, viewer)
		if resp.StatusCode != status {
			t.Errorf("%s: status %d, want %d", path, resp.StatusCode, status)
		}
		checkPage(t, path, resp, body)
		if first == "" {
			first = body
		} else if body != first {
			t.Errorf("%s: the body differs from the first one's:\n%s", path, body)
		}
		for _, p := range hidden {
			if strings.Contains(body, p) {
				t.Errorf("%s: the body names %q", path, p)
			}
		}
		if main := body[strings.Index(body, "<main"):]; regexp.MustCompile(`\d`).MatchString(main) {
			t.Errorf("%s: the body shows a number:\n%s", path, body)
		}
	}
}

// TestUnauthorized: without a viewer every page and the stream answer 401
// with one body, the same for every address, that names no one and shows
// no number.
func TestUnauthorized(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	paths := append(pagePaths, "/changes", "/nothing", "/goal?goal=revenue_month&participant=boris")
	checkSilent(t, f, "", http.StatusUnauthorized, paths, append(people, "north", "south", "RUB", "revenue"))
}

// TestNotFound: what a viewer may not see and what does not exist answer
// the same 404, so that a viewer cannot learn who exists.
func TestNotFound(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	checkSilent(t, f, "anna", http.StatusNotFound, []string{
		"/explain?indicator=revenue&participant=boris&grain=month&from=2026-12-01&to=2027-01-01",
		"/explain?indicator=revenue&participant=south&grain=month&from=2026-12-01&to=2027-01-01",
		"/explain?indicator=revenue&participant=nobody&grain=month&from=2026-12-01&to=2027-01-01",
		"/explain?indicator=nothing&participant=anna&grain=month&from=2026-12-01&to=2027-01-01",
	}, []string{"boris", "south", "nobody"})
	for _, path := range []string{
		"/goal?goal=revenue_month&participant=boris",
		"/goal?goal=nothing&participant=anna",
		"/nothing",
		"/explain?indicator=revenue&participant=anna&grain=month&from=2027-01-01&to=2026-12-01",
		// A grain or a date that is not one is no cell either, but it is
		// refused as malformed (400): TestExplainParams.
	} {
		if resp, _ := get(t, f, path, "anna"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, resp.StatusCode)
		}
	}
}

// TestViewerScope: anna (a member of north) sees her own rows, her team's
// and the company's on every page; no other person's name, and no event
// of theirs, is anywhere in the HTML, leaderboards included.
func TestViewerScope(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	paths := append(pagePaths,
		"/explain?indicator=revenue&participant=north&grain=month&from=2026-12-01&to=2027-01-01",
		"/explain?indicator=revenue&participant=*&grain=month&from=2026-12-01&to=2027-01-01",
		"/ranking?period=2026-11", "/scorecards?period=2026-11")
	for _, path := range paths {
		resp, body := get(t, f, path, "anna")
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", path, resp.StatusCode)
			continue
		}
		for _, p := range people {
			if p != "anna" && strings.Contains(body, p) {
				t.Errorf("%s: anna's page names %q", path, p)
			}
		}
		if strings.Contains(body, "south") {
			t.Errorf("%s: anna's page names the other team", path)
		}
	}
	// She does see herself, her team and the company.
	_, body := get(t, f, "/", "anna")
	for _, want := range []string{`data-participant="anna"`, `data-participant="north"`, `data-participant="*"`} {
		if !strings.Contains(body, want) {
			t.Errorf("anna's goals page lacks %s", want)
		}
	}
	// A head sees the people of the unit.
	_, body = get(t, f, "/", "nadia")
	for _, want := range []string{"anna", "boris", "nadia"} {
		if !strings.Contains(body, `data-participant="`+want+`"`) {
			t.Errorf("nadia's goals page lacks %s", want)
		}
	}
	if strings.Contains(body, "carl") {
		t.Error("nadia's goals page names carl, of the other team")
	}
}

func TestLanguage(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	const nb = "\u00a0"
	cases := []struct {
		name   string
		path   string
		header []string
		lang   string
		want   []string
	}{
		{"default", "/", nil, "en", []string{"4,000,000" + nb + "RUB", "Monthly revenue", "15 Dec 2026 12:00", "Time left", "17 days"}},
		{"accept-language", "/", []string{"Accept-Language", "ru-RU,ru;q=0.9,en;q=0.8"}, "ru", []string{"4" + nb + "000" + nb + "000" + nb + "₽", "15.12.2026 12:00", "До конца", "17" + nb + "дней"}},
		{"english preferred", "/", []string{"Accept-Language", "de, en;q=0.9, ru;q=0.5"}, "en", []string{"4,000,000" + nb + "RUB"}},
		{"switch", "/?lang=ru", []string{"Accept-Language", "en"}, "ru", []string{"4" + nb + "000" + nb + "000" + nb + "₽"}},
		{"cookie", "/", []string{"Accept-Language", "en", "Cookie", "viewer=admin; goalkit_lang=ru"}, "ru", []string{"₽"}},
		{"unknown switch", "/?lang=xx", []string{"Accept-Language", "ru"}, "ru", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			viewer := "admin"
			for i := 0; i < len(c.header); i += 2 {
				if c.header[i] == "Cookie" {
					viewer = ""
				}
			}
			resp, body := get(t, f, c.path, viewer, c.header...)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if !strings.Contains(body, `<html lang="`+c.lang+`">`) {
				t.Errorf("not in %s", c.lang)
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			chose := strings.Contains(c.path, "lang=ru")
			var cookie *http.Cookie
			for _, ck := range resp.Cookies() {
				if ck.Name == "goalkit_lang" {
					cookie = ck
				}
			}
			if chose != (cookie != nil) || (cookie != nil && cookie.Value != "ru") {
				t.Errorf("language cookie %v after %s", cookie, c.path)
			}
		})
	}
}

// TestKiosk: kiosk mode hides the navigation, keeps itself in every link
// and asks the page to refresh.
func TestKiosk(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	_, body := get(t, f, "/?kiosk=1", "admin")
	body = pageVersion.ReplaceAllString(body, `data-version="VERSION"`)
	if !strings.Contains(body, `<body class="kiosk" data-stream="./changes" data-version="VERSION" data-refresh="60">`) {
		t.Errorf("no kiosk body:\n%.600s", body)
	}
	if strings.Contains(body, "<nav>") {
		t.Error("kiosk mode shows the navigation")
	}
	for _, m := range regexp.MustCompile(`href="\./(?:[^a"][^"]*)?"`).FindAllString(body, -1) {
		if !strings.Contains(m, "kiosk=1") {
			t.Errorf("a link leaves kiosk mode: %s", m)
		}
	}
}

// TestStreamURL: with a stream of the host's, the page listens to it, the
// dashboard serves none of its own, and the policy lets the page connect.
func TestStreamURL(t *testing.T) {
	opts := dashboardOptions()
	opts.StreamURL = "/api/v1/stream"
	f := newFixture(t, opts)
	resp, body := get(t, f, "/", "admin")
	if !strings.Contains(body, `data-stream="/api/v1/stream"`) {
		t.Error("the page does not listen to the host's stream")
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	if resp, _ := get(t, f, "/changes", "admin"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("/changes: status %d with a host's stream, want 404", resp.StatusCode)
	}
}

// openStream opens the dashboard's own stream at server as anna, with the
// query if one is given; the answer's body is closed when the test ends.
func openStream(t *testing.T, server string, query ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("GET", server+"/changes"+strings.Join(query, ""), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: "viewer", Value: "anna"})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// TestStream: the dashboard's own stream sends a change when the data
// changes, and nothing that names anyone.
func TestStream(t *testing.T) {
	opts := dashboardOptions()
	opts.Heartbeat = 20 * time.Millisecond
	f := newFixture(t, opts)
	resp := openStream(t, f.server.URL)
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	read := make(chan string, 64)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := resp.Body.Read(buf)
			if n > 0 {
				read <- string(buf[:n])
			}
			if err != nil {
				close(read)
				return
			}
		}
	}()
	var got strings.Builder
	wait := func(want string) {
		t.Helper()
		deadline := time.After(5 * time.Second)
		for !strings.Contains(got.String(), want) {
			select {
			case s, ok := <-read:
				if !ok {
					t.Fatalf("the stream ended; got %q", got.String())
				}
				got.WriteString(s)
			case <-deadline:
				t.Fatalf("no %q in %q", want, got.String())
			}
		}
	}
	wait(": keep-alive")
	if strings.Contains(got.String(), "event: change") {
		t.Fatal("a change before any change")
	}
	if err := f.data.apply(t.Context(), dealFor("boris", 1, 50000)); err != nil {
		t.Fatal(err)
	}
	wait("event: change\ndata: {}\n\n")
	for _, p := range people {
		if strings.Contains(got.String(), p) {
			t.Errorf("the stream names %q", p)
		}
	}
}

// TestGolden keeps the structure of anna's goals page, in both languages.
func TestGolden(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	for _, lang := range []string{"en", "ru"} {
		_, body := get(t, f, "/?lang="+lang, "anna")
		// The version of the channel of changes is the process's own.
		body = pageVersion.ReplaceAllString(body, `data-version="VERSION"`)
		golden.Check(t, "testdata/goals-anna-"+lang+".golden.html", []byte(body), *update)
	}
}

// TestExplainFormula: a formula's explanation shows its inputs, each with
// its own value and events.
func TestExplainFormula(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	_, body := get(t, f, "/explain?indicator=avg_deal&participant=anna&grain=month&from=2026-12-01&to=2027-01-01&lang=en", "anna")
	rep := f.report(t, goal.Viewer{User: "anna"})
	dec := rep.Values.Periods()[1]
	avg, _ := rep.Values.Value("avg_deal", "anna", dec)
	revenue, _ := rep.Values.Value("revenue", "anna", dec)
	won, _ := rep.Values.Value("won", "anna", dec)
	if n := strings.Count(body, `<section class="explanation">`); n != 3 {
		t.Errorf("%d explanations on the page, want the formula's and its 2 inputs'", n)
	}
	for _, want := range []string{
		`<code>revenue / won</code>`,
		`<strong data-field="value">` + enRUB(avg) + `</strong>`,
		`<strong data-field="value">` + enRUB(revenue) + `</strong>`,
		`<strong data-field="value">` + enPlain(won) + `</strong>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
}

// failingData is Data whose reports fail, with a message that must not
// reach the viewer.
type failingData struct{ *trackerData }

func (failingData) Report(context.Context, goal.Viewer, time.Time) (*goalkit.Report, error) {
	return nil, errors.New("database at 10.0.0.7 refused the password of user boris")
}

// TestReportFails: a failing report answers 500 with a page that says
// nothing of the failure.
func TestReportFails(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	h, err := dashboard.New(failingData{f.data}, dashboard.Options{Viewer: cookieViewer})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	g := &fixture{data: f.data, server: srv}
	checkSilent(t, g, "admin", http.StatusInternalServerError, []string{"/", "/ranking", "/scorecards", "/teams", "/cascades"}, []string{"boris", "database", "password"})
}

func TestNewRefuses(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	if _, err := dashboard.New(nil, dashboard.Options{Viewer: cookieViewer}); err == nil {
		t.Error("New accepted no data")
	}
	// A nil pointer of a host's type is no data either: refused, naming
	// the type, where Plan panicked on it.
	var none *trackerData
	if _, err := dashboard.New(none, dashboard.Options{Viewer: cookieViewer}); err == nil || !strings.Contains(err.Error(), "nil *dashboard_test.trackerData") {
		t.Errorf("New(a nil *trackerData) = %v, want an error naming the nil type", err)
	}
	if _, err := dashboard.New(f.data, dashboard.Options{}); err == nil {
		t.Error("New accepted no Viewer")
	}
}

// TestStreamURLOrigin: a stream of another origin is let through the
// page's policy however it is written (absolute, or without a scheme:
// //host/path, which has the page's), and a StreamURL that cannot be an
// EventSource's address of such an origin is refused by New, naming it.
// A scheme-less address was left out of the policy, so the browser
// refused the page its stream without a word; and a host of characters
// no host has ("x;frame-ancestors *") was written into the policy as
// directives of its own.
func TestStreamURLOrigin(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	for _, c := range []struct{ stream, connect string }{
		{"https://events.example.com/stream", "connect-src 'self' https://events.example.com;"},
		{"HTTP://Events.example.com:8443/s?x=1", "connect-src 'self' http://Events.example.com:8443;"},
		{"//events.example.com/stream", "connect-src 'self' events.example.com;"},
		{"https://[::1]:8080/s", "connect-src 'self' https://[::1]:8080;"},
		{"/api/v1/stream", "connect-src 'self';"},
		{"./flaky", "connect-src 'self';"},
	} {
		h, err := dashboard.New(f.data, dashboard.Options{Viewer: cookieViewer, StreamURL: c.stream})
		if err != nil {
			t.Errorf("%s: %v", c.stream, err)
			continue
		}
		rec := serveAs(h, "/?lang=en", "anna")
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, c.connect) {
			t.Errorf("%s: Content-Security-Policy %q, want %q", c.stream, csp, c.connect)
		}
	}
	for _, stream := range []string{"https://x;frame-ancestors */s", "https://a'b/s", "wss://events.example.com/s", "ftp://h/s", "https:///s", "https://h:port/s"} {
		_, err := dashboard.New(f.data, dashboard.Options{Viewer: cookieViewer, StreamURL: stream})
		if err == nil || !strings.Contains(err.Error(), "Options.StreamURL") {
			t.Errorf("%s: %v, want a refusal naming Options.StreamURL", stream, err)
		}
	}
}

// TestKioskRefreshInSeconds: a kiosk page refreshes every
// Options.KioskRefresh in whole seconds, a part of a second counted as one
// more, and at most the 24.8 days a browser's timer waits: the page writes
// its refresh in seconds, and a refresh under a second was written 0,
// which the page reads as none, so a kiosk asked to refresh often never
// did; and one longer than a browser's timer fired at once, every time.
func TestKioskRefreshInSeconds(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	for _, c := range []struct {
		every time.Duration
		want  string
	}{
		{500 * time.Millisecond, "1"},
		{time.Nanosecond, "1"},
		{1500 * time.Millisecond, "2"},
		{30 * time.Second, "30"},
		// A browser's timer fires at once past 2³¹−1 ms (24.8 days).
		{1000 * time.Hour, "2147483"},
	} {
		h := dashboardOver(t, f, dashboard.Options{KioskRefresh: c.every})
		rec := serveAs(h, "/?kiosk=1&lang=en", "admin")
		if want := `data-refresh="` + c.want + `"`; !strings.Contains(rec.Body.String(), want) {
			t.Errorf("KioskRefresh %v: the page has no %s", c.every, want)
		}
	}
}

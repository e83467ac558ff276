package dashboard_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/dashboard"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
)

// ownRowsExplained is ownRowsOnly whose explanations follow its report's
// rule: a user's own value and the company's, nothing else.
type ownRowsExplained struct{ ownRowsOnly }

func (d ownRowsExplained) Explain(ctx context.Context, v goal.Viewer, asOf time.Time, c goalkit.Cell) (*kpi.Explanation, error) {
	if c.Participant != org.Everyone && (c.Participant != v.User || d.org.Has(c.Participant)) {
		return nil, errHidden
	}
	return d.trackerData.Explain(ctx, v, asOf, c)
}

var explainHref = regexp.MustCompile(`<a class="explain" href="([^"]*)">`)

// Every explanation the cascades page links opens for the viewer: a node
// the viewer may not see, kept only as the path to their own, was linked
// to an explanation that answered "no such value". A visible node whose
// actual is undefined keeps its link, which opens.
func TestCascadesLinkOnlyExplanationsThatOpen(t *testing.T) {
	data := ownRowsExplained{ownRowsOnly{officesData(t, `
timezone: UTC
indicators:
  - {id: calls, kinds: [call], aggregate: count}
  - {id: avg_deal, kinds: [deal.won], aggregate: avg, value: amount}
report: {grain: month, from: 2026-12-01, to: 2027-01-01}
cascades:
  - id: calls_down
    indicator: calls
    root:
      period: 2026-12
      target: 10
      split: {by: even, into: units, then: {by: even, into: members}}
  - id: deal_size
    indicator: avg_deal
    root: {period: 2026-12, target: 50000}
`)}}
	h, err := dashboard.New(data, dashboard.Options{
		Viewer: func(*http.Request) (goal.Viewer, bool) { return goal.Viewer{User: "anna"}, true },
		Now:    func() time.Time { return asOf },
	})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Code, rec.Body.String()
	}
	code, body := get("/cascades?lang=en")
	if code != http.StatusOK {
		t.Fatalf("/cascades: status %d", code)
	}
	if !strings.Contains(body, "Northern office") {
		t.Fatalf("the path to anna's node is not on the page:\n%s", body)
	}
	page, _ := url.Parse("/cascades?lang=en")
	// The links by indicator and participant, each of which must open.
	linked := map[string]bool{}
	for _, m := range explainHref.FindAllStringSubmatch(body, -1) {
		rel, err := url.Parse(html.UnescapeString(m[1]))
		if err != nil {
			t.Fatalf("%s: %v", m[1], err)
		}
		u := page.ResolveReference(rel) // the page's links are relative
		href := u.RequestURI()
		linked[u.Query().Get("indicator")+" "+u.Query().Get("participant")] = true
		if code, _ := get(href); code != http.StatusOK {
			t.Errorf("the cascades page links %s, which answers anna %d", href, code)
		}
	}
	// Anna's own node, the company's root of her calls and the company's
	// deal size, whose actual is undefined (no deals), are linked; the
	// hidden office on her path is not.
	for _, want := range []string{"calls anna", "calls *", "avg_deal *"} {
		if !linked[want] {
			t.Errorf("no explanation linked for %q; linked: %v", want, linked)
		}
	}
	if linked["calls north"] {
		t.Errorf("the hidden office on anna's path is linked")
	}
}

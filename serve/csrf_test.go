package serve

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A page on another site can make a visitor's browser post to the server
// without a preflight: a body without a Content-Type is read as NDJSON,
// and a close has no body at all. Where the browser sends credentials by
// itself (a local trial, where everyone is an admin; a proxy's session
// cookie), that would ingest events or close periods for the page. Writes
// that a browser marks as cross-site are refused, 403, and nothing is
// applied; clients that are not browsers, and pages of the server's own
// origin, write as before.
func TestCrossSiteWritesRefused(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Auth = Open })
	const body = `{"id":"x1","kind":"call","time":"2025-03-05T10:00:00Z","actor":"n1"}`
	cases := []struct {
		name, method, path string
		header             map[string]string
		code               int
	}{
		{"events, cross-site", "POST", "/api/v1/events", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"events, another origin", "POST", "/api/v1/events", map[string]string{"Origin": "https://evil.example"}, 403},
		{"close, cross-site", "POST", "/api/v1/goals/revenue_user/close?period=2025-03", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"events, same origin", "POST", "/api/v1/events", map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://example.com"}, 200},
		{"events, no browser", "POST", "/api/v1/events", nil, 200},
		{"report, cross-site read", "GET", "/api/v1/report", map[string]string{"Sec-Fetch-Site": "cross-site"}, 200},
	}
	for _, c := range cases {
		var r *http.Request
		if c.method == "POST" && strings.HasSuffix(c.path, "events") {
			r = httptest.NewRequest(c.method, c.path, strings.NewReader(body))
		} else {
			r = httptest.NewRequest(c.method, c.path, nil)
		}
		for k, v := range c.header {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, r)
		if w.Code != c.code {
			t.Errorf("%s: %d %s, want %d", c.name, w.Code, w.Body, c.code)
		}
		if c.code == 403 && strings.TrimSpace(w.Body.String()) != `{"error":"forbidden"}` {
			t.Errorf("%s: body %s", c.name, w.Body)
		}
		if c.code == 403 && f.tr.Indicators().Len() != 0 {
			t.Fatalf("%s: %d events applied by a refused write", c.name, f.tr.Indicators().Len())
		}
	}
}

package serve

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// A request from the proxy (the secret right) whose identity headers are
// malformed is 401 for the client, and the log names the header and its
// value, on the API and the dashboard: a proxy set up wrong had every
// request 401 without a word anywhere. A request without the secret is
// not logged so.
func TestProxyBadIdentityIsLogged(t *testing.T) {
	const secret = "proxy-secret-0123456789"
	p, err := NewProxyAuth(secret)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, func(c *Config) { c.Auth = p })
	for _, c := range []struct {
		headers []string
		log     string
	}{
		{[]string{ProxyUserHeader, "anna", ProxyRoleHeader, "Admin"}, `X-Goalkit-Role \"Admin\": want reader, writer or admin`},
		{[]string{ProxyUserHeader, " anna"}, `X-Goalkit-User \" anna\": white space at an end`},
		{[]string{ProxyTeamsHeader, "north,,south"}, `X-Goalkit-Teams \"north,,south\": a unit id is empty`},
		{[]string{ProxyRoleHeader, "reader"}, `neither X-Goalkit-User nor X-Goalkit-Teams`},
		{[]string{ProxyUserHeader, "anna", ProxyUserHeader, "boris"}, `X-Goalkit-User given 2 times`},
	} {
		for _, path := range []string{"/api/v1/report", "/"} {
			f.logs.Reset()
			r := httptest.NewRequest("GET", path, nil)
			r.Header.Set(ProxySecretHeader, secret)
			for i := 0; i+1 < len(c.headers); i += 2 {
				r.Header.Add(c.headers[i], c.headers[i+1])
			}
			w := httptest.NewRecorder()
			f.h.ServeHTTP(w, r)
			if w.Code != 401 {
				t.Errorf("%s %q: %d, want 401", path, c.headers, w.Code)
			}
			if strings.Contains(w.Body.String(), c.headers[1]) && c.headers[1] != "anna" {
				t.Errorf("%s %q: the answer names the header's value: %s", path, c.headers, w.Body)
			}
			if !strings.Contains(f.logs.String(), c.log) {
				t.Errorf("%s %q: the log does not say %q:\n%s", path, c.headers, c.log, f.logs)
			}
		}
	}
	f.logs.Reset()
	r := httptest.NewRequest("GET", "/api/v1/report", nil)
	r.Header.Set(ProxyRoleHeader, "Admin")
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	if w.Code != 401 || strings.Contains(f.logs.String(), "identity headers refused") {
		t.Errorf("without the secret: %d, log:\n%s", w.Code, f.logs)
	}
}

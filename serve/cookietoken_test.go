package serve

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// A link with a token (?access_token=) signs its browser in whatever
// characters the token has that the tokens file takes: the cookie holds
// it percent-encoded. net/http dropped the bytes a cookie cannot hold
// (';', '"', '\', non-ASCII), logging one of them, and the page the link
// led to answered 401.
func TestLinkTokenOfAnyCharacters(t *testing.T) {
	for _, tok := range []string{
		"plain-token-0123456789",
		`semi;colon"quote\back,comma-0123`,
		"кириллица-токен-0123456789",
		"per%41cent%zz-token-0123456789",
	} {
		f := newFixture(t, nil)
		tf, err := ParseTokenFile("tokens.yaml", []byte("tokens:\n  - token: '"+tok+"'\n    role: admin\n"))
		if err != nil {
			t.Fatal(err)
		}
		f.srv.cfg.Auth = tf
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, httptest.NewRequest("GET", "/?lang=en&access_token="+url.QueryEscape(tok), nil))
		if w.Code != http.StatusSeeOther {
			t.Fatalf("%q: the link answers %d", tok, w.Code)
		}
		set := w.Result().Header.Get("Set-Cookie")
		if strings.ContainsFunc(set, func(r rune) bool { return r > 0x7e }) {
			t.Errorf("%q: Set-Cookie %q", tok, set)
		}
		// The browser sends back what it was given.
		r := httptest.NewRequest("GET", "/?lang=en", nil)
		r.Header.Set("Cookie", strings.SplitN(set, ";", 2)[0])
		w = httptest.NewRecorder()
		f.h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Errorf("%q: the page after the link answers %d", tok, w.Code)
		}
		// The API reads the same cookie.
		r = httptest.NewRequest("GET", "/api/v1/report", nil)
		r.Header.Set("Cookie", strings.SplitN(set, ";", 2)[0])
		w = httptest.NewRecorder()
		f.h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Errorf("%q: the API with the cookie answers %d", tok, w.Code)
		}
	}
}

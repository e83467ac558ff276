package serve

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// A bad query parameter's value is quoted in the answer cut to 64 bytes
// and an ellipsis, as every error quotes text from outside: a value of
// 1 MB was answered whole.
func TestParamErrorQuotesTheValueCut(t *testing.T) {
	f := newFixture(t, nil)
	long := strings.Repeat("x", 100_000)
	cut := `"` + strings.Repeat("x", 64) + `…"`
	cases := []struct{ target, want string }{
		{"/api/v1/report?as_of=" + long, "parameter as_of: want an RFC 3339 instant, such as 2025-03-20T12:00:00Z, got " + cut},
		{"/api/v1/goals?period=" + long, "parameter period: want a period label such as 2025-03, 2025-W14 or 2025-Q2, got " + cut},
		{"/api/v1/notifications?since=" + long, "parameter since: want an RFC 3339 instant, such as 2025-03-20T12:00:00Z, got " + cut},
		// Short values are quoted whole.
		{"/api/v1/report?as_of=" + url.QueryEscape("2025-03-20 12:00"), `parameter as_of: want an RFC 3339 instant, such as 2025-03-20T12:00:00Z, got "2025-03-20 12:00"`},
	}
	for _, c := range cases {
		w := f.do("GET", c.target, adminToken, "", nil)
		var eb errorBody
		if err := json.Unmarshal(w.Body.Bytes(), &eb); w.Code != 400 || err != nil || eb.Error != c.want {
			t.Errorf("%.60s: %d %.300s\nwant %s", c.target, w.Code, w.Body, c.want)
		}
	}
}

// The ingestion's refusals of a Content-Type, a charset or a
// Content-Encoding quote the header's value cut the same way.
func TestIngestQuotesTheHeaderCut(t *testing.T) {
	f := newFixture(t, nil)
	long := strings.Repeat("y", 10_000)
	cut := `"` + strings.Repeat("y", 64) + `…"`
	body := strings.NewReader(`{"id":"a","kind":"call","time":"2025-03-05T10:00:00Z","actor":"n1"}`)
	cases := []struct{ header, value, want string }{
		{"Content-Type", "text/" + long, `unsupported Content-Type "text/` + strings.Repeat("y", 59) + `…": use application/json (an array), application/x-ndjson or text/csv`},
		{"Content-Type", "text/csv; charset=" + long, "unsupported charset " + cut + ": send the body as UTF-8 (charset=utf-8 or none)"},
		{"Content-Encoding", long, "unsupported Content-Encoding " + cut + ": send the body uncompressed"},
	}
	for _, c := range cases {
		req := httptest.NewRequest("POST", "/api/v1/events", body)
		req.Header.Set("Authorization", "Bearer "+writerToken)
		req.Header.Set(c.header, c.value)
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, req)
		var eb errorBody
		if err := json.Unmarshal(w.Body.Bytes(), &eb); w.Code != 415 || err != nil || eb.Error != c.want {
			t.Errorf("%s: %d %.300s\nwant %s", c.header, w.Code, w.Body, c.want)
		}
	}
}

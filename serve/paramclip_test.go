package serve

import (
	"encoding/json"
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

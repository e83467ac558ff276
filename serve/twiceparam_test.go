package serve

import (
	"encoding/json"
	"testing"
)

// A query parameter given twice is a bad request naming it and both
// values: which one the caller meant cannot be told, and the server took
// the first without a word (as_of=March&as_of=April answered March).
func TestParameterGivenTwice(t *testing.T) {
	f := newFixture(t, nil)
	const a, b = "2025-03-20T12:00:00Z", "2025-04-20T12:00:00Z"
	for _, c := range []struct{ target, want string }{
		{"/api/v1/report?as_of=" + a + "&as_of=" + b, `parameter as_of: want one value, got "` + a + `, ` + b + `"`},
		{"/api/v1/report?as_known_at=" + a + "&as_known_at=" + a, `parameter as_known_at: want one value, got "` + a + `, ` + a + `"`},
		{"/api/v1/notifications?since=" + a + "&since=" + b, `parameter since: want one value, got "` + a + `, ` + b + `"`},
		{"/api/v1/explain?indicator=revenue&participant=n1&participant=n2&period=2025-03", `parameter participant: want one value, got "n1, n2"`},
		{"/api/v1/explain?indicator=revenue&indicator=deals&participant=n1&period=2025-03", `parameter indicator: want one value, got "revenue, deals"`},
		{"/api/v1/explain?indicator=revenue&participant=n1&period=2025-03&period=2025-04", `parameter period: want one value, got "2025-03, 2025-04"`},
	} {
		w := f.do("GET", c.target, adminToken, "", nil)
		var eb errorBody
		if err := json.Unmarshal(w.Body.Bytes(), &eb); err != nil || w.Code != 400 || eb.Error != c.want {
			t.Errorf("%s: %d %s, want 400 %q", c.target, w.Code, w.Body, c.want)
		}
	}
	// Once, each is taken.
	if w := f.do("GET", "/api/v1/report?as_of="+a, adminToken, "", nil); w.Code != 200 {
		t.Errorf("as_of once: %d %s", w.Code, w.Body)
	}
}

package serve

import (
	"encoding/json"
	"testing"
)

// The API reads its instants as the command line does: RFC 3339 allows t
// and z in lower case, so 2025-03-20t12:00:00z is the instant of
// 2025-03-20T12:00:00Z; a date that does not exist is refused saying why,
// and an offset's "+" that the query read as a space too.
func TestInstantParameterAsRFC3339(t *testing.T) {
	f := newFixture(t, nil)
	want := f.do("GET", "/api/v1/values?as_of=2025-03-20T12:00:00Z", adminToken, "", nil)
	if want.Code != 200 {
		t.Fatalf("upper case: %d %s", want.Code, want.Body)
	}
	for _, target := range []string{
		"/api/v1/values?as_of=2025-03-20t12:00:00z",
		"/api/v1/values?as_of=2025-03-20t12:00:00Z",
		"/api/v1/values?as_of=2025-03-20T15:00:00%2B03:00",
	} {
		if got := f.do("GET", target, adminToken, "", nil); got.Code != 200 || got.Body.String() != want.Body.String() {
			t.Errorf("%s: %d %.200s, want the report as of 2025-03-20T12:00:00Z", target, got.Code, got.Body)
		}
	}
	for _, c := range []struct{ target, want string }{
		{"/api/v1/report?as_of=2025-02-30T00:00:00Z", `parameter as_of: want an RFC 3339 instant, such as 2025-03-20T12:00:00Z, got "2025-02-30T00:00:00Z": not a real date: February 2025 has 28 days`},
		{"/api/v1/notifications?since=2025-04-31T00:00:00Z", `parameter since: want an RFC 3339 instant, such as 2025-03-20T12:00:00Z, got "2025-04-31T00:00:00Z": not a real date: April has 30 days`},
		{"/api/v1/report?as_of=yesterday", `parameter as_of: want an RFC 3339 instant, such as 2025-03-20T12:00:00Z, got "yesterday"`},
		// A "+" of an offset written as it is reads as a space: the
		// answer says so, where it showed the space without a word.
		{"/api/v1/report?as_of=2025-03-20T15:00:00+03:00", `parameter as_of: want an RFC 3339 instant, such as 2025-03-20T12:00:00Z, got "2025-03-20T15:00:00 03:00": a "+" in a query reads as a space: write it %2B (2025-03-20T15:00:00%2B03:00)`},
		{"/api/v1/notifications?since=2025-03-20T15:00:00.5+03:00", `parameter since: want an RFC 3339 instant, such as 2025-03-20T12:00:00Z, got "2025-03-20T15:00:00.5 03:00": a "+" in a query reads as a space: write it %2B (2025-03-20T15:00:00.5%2B03:00)`},
		{"/api/v1/report?as_of=2025-03-20+15:00:00Z", `parameter as_of: want an RFC 3339 instant, such as 2025-03-20T12:00:00Z, got "2025-03-20 15:00:00Z"`},
		{"/api/v1/report?as_of=2025-02-30T15:00:00+03:00", `parameter as_of: want an RFC 3339 instant, such as 2025-03-20T12:00:00Z, got "2025-02-30T15:00:00 03:00": not a real date: February 2025 has 28 days`},
	} {
		w := f.do("GET", c.target, adminToken, "", nil)
		var eb errorBody
		if err := json.Unmarshal(w.Body.Bytes(), &eb); err != nil || w.Code != 400 || eb.Error != c.want {
			t.Errorf("%s: %d %s, want 400 %q", c.target, w.Code, w.Body, c.want)
		}
	}
}

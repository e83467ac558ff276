package serve

import (
	"fmt"
	"testing"

	"github.com/goalkit/goalkit/kpi"
)

// An ingestion body is UTF-8: a charset parameter of utf-8 (any case) or
// none is read, any other is refused with 415 before a byte is parsed, so a
// Latin-1 body is never read as UTF-8.
func TestIngestCharset(t *testing.T) {
	body := ndjson(t, []kpi.Event{deal("d1", "n1", "1", day(3, 10))})
	cases := []struct {
		ct   string
		code int
		msg  string
	}{
		{"application/x-ndjson", 200, ""},
		{"application/x-ndjson; charset=utf-8", 200, ""},
		{"application/x-ndjson; charset=UTF-8", 200, ""},
		{`application/x-ndjson; charset="Utf-8"`, 200, ""},
		{"text/csv; charset=latin1", 415, `{"error":"unsupported charset \"latin1\": send the body as UTF-8 (charset=utf-8 or none)"}` + "\n"},
		{"application/json; charset=ISO-8859-1", 415, `{"error":"unsupported charset \"ISO-8859-1\": send the body as UTF-8 (charset=utf-8 or none)"}` + "\n"},
		{"application/x-ndjson; charset=utf-16", 415, `{"error":"unsupported charset \"utf-16\": send the body as UTF-8 (charset=utf-8 or none)"}` + "\n"},
		{"application/x-ndjson; charset=", 415, ""},
	}
	for i, c := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			f := newFixture(t, nil)
			b := body
			if c.ct == "text/csv; charset=latin1" {
				b = []byte("id,kind,time,actor,amount\nc1,deal.won,2025-03-03T10:00:00Z,s\xe9,12\n")
			}
			w := f.do("POST", "/api/v1/events", writerToken, c.ct, b)
			if w.Code != c.code {
				t.Fatalf("%s: %d %s, want %d", c.ct, w.Code, w.Body, c.code)
			}
			if c.msg != "" && w.Body.String() != c.msg {
				t.Errorf("%s: body %s, want %s", c.ct, w.Body, c.msg)
			}
			if want := map[bool]int{true: 1, false: 0}[c.code == 200]; f.tr.Indicators().Len() != want {
				t.Errorf("%s: live events %d, want %d", c.ct, f.tr.Indicators().Len(), want)
			}
		})
	}
}

package serve

import (
	"bytes"
	"compress/gzip"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
)

// A compressed ingestion body is refused with 415 naming its coding, with
// Accept-Encoding: identity (RFC 9110, 15.5.16), and nothing is applied;
// it was read as the events' text and answered 400 "invalid JSON at column
// 1: want \"{\", got byte 0x1f", a bad line the client never wrote.
func TestIngestContentEncoding(t *testing.T) {
	body := ndjson(t, []kpi.Event{deal("d1", "n1", "1", day(3, 10))})
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(body)
	zw.Close()
	cases := []struct {
		encodings []string
		body      []byte
		code      int
		coding    string
	}{
		{nil, body, 200, ""},
		{[]string{"identity"}, body, 200, ""},
		{[]string{"Identity"}, body, 200, ""},
		{[]string{"gzip"}, gz.Bytes(), 415, "gzip"},
		{[]string{"identity, br"}, body, 415, "br"},
		{[]string{"identity", "deflate"}, body, 415, "deflate"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.encodings, "+"), func(t *testing.T) {
			f := newFixture(t, nil)
			req := httptest.NewRequest("POST", "/api/v1/events", bytes.NewReader(c.body))
			req.Header.Set("Authorization", "Bearer "+writerToken)
			req.Header.Set("Content-Type", "application/x-ndjson")
			for _, e := range c.encodings {
				req.Header.Add("Content-Encoding", e)
			}
			w := httptest.NewRecorder()
			f.h.ServeHTTP(w, req)
			if w.Code != c.code {
				t.Fatalf("%d %s, want %d", w.Code, w.Body, c.code)
			}
			if c.code == 415 {
				want := `{"error":"unsupported Content-Encoding \"` + c.coding + `\": send the body uncompressed"}` + "\n"
				if w.Body.String() != want {
					t.Errorf("body %s, want %s", w.Body, want)
				}
				if got := w.Header().Get("Accept-Encoding"); got != "identity" {
					t.Errorf("Accept-Encoding %q, want identity", got)
				}
			}
			if want := map[bool]int{true: 1, false: 0}[c.code == 200]; f.tr.Indicators().Len() != want {
				t.Errorf("live events %d, want %d", f.tr.Indicators().Len(), want)
			}
		})
	}
}

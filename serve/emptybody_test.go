package serve

import (
	"strings"
	"testing"
)

// A body of nothing but white space and a byte order mark (an empty file
// saved by Notepad) is refused as empty, whatever its format, as an empty
// body is; it was taken as a batch of no events (200, nothing applied).
func TestEmptyBodyWithAByteOrderMark(t *testing.T) {
	f := newFixture(t, nil)
	for _, ct := range []string{"", "application/x-ndjson", "application/json", "text/csv"} {
		for _, body := range []string{"", "\r\n", "\ufeff", "\ufeff\r\n", " \ufeff\n\n"} {
			w := f.do("POST", "/api/v1/events", writerToken, ct, []byte(body))
			if w.Code != 400 || !strings.Contains(w.Body.String(), "empty body") {
				t.Errorf("%q %q: %d %s, want 400 empty body", ct, body, w.Code, w.Body)
			}
		}
	}
}

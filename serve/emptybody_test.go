package serve

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/goalkit/goalkit/kpi"
)

// A batch of no events is one rule in every shape: [] , a CSV header
// alone, or NDJSON of no lines (an empty body, white space, a byte order
// mark alone: an empty file saved by Notepad) is answered 200 with nothing
// received, and nothing reaches Config.Ingest; an empty body sent as an
// array or as CSV lacks its [] or header and is refused, saying which.
// The empty NDJSON batch was 400 while the other two were 200.
func TestEmptyBatchInEveryShape(t *testing.T) {
	var ingested atomic.Int64
	plain := newFixture(t, nil)
	fronted := newFixture(t, func(c *Config) {
		c.Ingest = func(_ context.Context, events []kpi.Event) error {
			ingested.Add(1)
			return nil
		}
	})
	empties := []string{"", "\r\n", "\ufeff", "\ufeff\r\n", " \ufeff\n\n"}
	type tc struct{ ct, body, want string }
	var cases []tc
	for _, body := range empties {
		cases = append(cases,
			tc{"", body, "ok"},
			tc{"application/x-ndjson", body, "ok"},
			tc{"application/jsonl", body, "ok"},
			tc{"application/json", body, "want a JSON array"},
			tc{"text/csv", body, "want a CSV header line"})
	}
	for _, body := range []string{"[]", " [ ]\n", "\ufeff[]", "[\r\n]\r\n"} {
		cases = append(cases, tc{"application/json", body, "ok"}, tc{"", body, "ok"})
	}
	for _, body := range []string{"id,kind,time,actor", "id,kind,time,actor\n", "\ufeffid,kind,time,actor,amount\r\n\r\n", "\"id\",\"kind\",\"time\",\"actor\"\r\n"} {
		cases = append(cases, tc{"text/csv", body, "ok"})
	}
	for _, f := range []*fixture{plain, fronted} {
		for _, c := range cases {
			w := f.do("POST", "/api/v1/events", writerToken, c.ct, []byte(c.body))
			if c.want == "ok" {
				if w.Code != 200 || strings.TrimSpace(w.Body.String()) != `{"received":0,"applied":0,"unchanged":0}` {
					t.Errorf("%q %q: %d %s, want 200 with nothing received", c.ct, c.body, w.Code, w.Body)
				}
				continue
			}
			if w.Code != 400 || !strings.Contains(w.Body.String(), "empty body") || !strings.Contains(w.Body.String(), c.want) {
				t.Errorf("%q %q: %d %s, want 400 empty body, %s", c.ct, c.body, w.Code, w.Body, c.want)
			}
		}
	}
	if n := ingested.Load(); n != 0 {
		t.Errorf("Ingest called %d times with no events", n)
	}
}

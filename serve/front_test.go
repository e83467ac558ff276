package serve

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/goalkit/goalkit/kpi"
)

// A server with Ingest passes whole checked batches on, never applies them
// itself, refuses bad ones with their lines before passing anything on,
// answers 503 when Ingest fails, and refuses to close periods; what the
// host applies to the replica and reports with Updated is read at once and
// wakes the change streams.
func TestIngestFront(t *testing.T) {
	var mu sync.Mutex
	var got [][]kpi.Event
	fail := false
	f := newFixture(t, func(c *Config) {
		c.Ingest = func(_ context.Context, events []kpi.Event) error {
			mu.Lock()
			defer mu.Unlock()
			if fail {
				return errors.New("no servers available")
			}
			got = append(got, append([]kpi.Event(nil), events...))
			return nil
		}
	})
	body := `{"id":"d1","kind":"deal.won","time":"2025-03-03T10:00:00Z","actor":"n1","amount":"5"}
{"id":"d1","kind":"deal.won","time":"2025-03-03T10:00:00Z","actor":"n1","amount":"7"}
`
	w := f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson", []byte(body))
	var res ingestResult
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || w.Code != 200 || res != (ingestResult{Received: 2, Applied: 2}) {
		t.Fatalf("POST: %d %s", w.Code, w.Body)
	}
	if len(got) != 1 || len(got[0]) != 2 || got[0][1].Amount.Decimal.String() != "7" || !got[0][0].Known.IsZero() {
		t.Fatalf("passed on: %+v", got)
	}
	if n := f.tr.Indicators().Len(); n != 0 {
		t.Fatalf("the server applied %d events itself", n)
	}

	bad := body + `{"id":"d2","kind":"deal.won","time":"2025-02-30T10:00:00Z","actor":"n1"}` + "\n"
	w = f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson", []byte(bad))
	if w.Code != 400 || !strings.Contains(w.Body.String(), `"line":3`) || len(got) != 1 {
		t.Fatalf("bad batch: %d %s; %d batches passed on", w.Code, w.Body, len(got))
	}

	mu.Lock()
	fail = true
	mu.Unlock()
	w = f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson", []byte(body))
	if w.Code != 503 || !strings.Contains(w.Body.String(), "not taken whole: no servers available; send it again") {
		t.Fatalf("failing Ingest: %d %s", w.Code, w.Body)
	}

	w = f.do("POST", "/api/v1/goals/revenue_user/close?period=2025-03", writerToken, "", nil)
	if w.Code != 409 || !strings.Contains(w.Body.String(), "periods are not closed here") {
		t.Fatalf("close: %d %s", w.Code, w.Body)
	}

	// The host applies what its log holds to the replica: a report made
	// before is not served again once Updated says so.
	var rep map[string]any
	f.getJSON("/api/v1/report", adminToken, &rep)
	if v, ok := valueOf(t, rep, "revenue", "n1", "2025-03-01"); ok && v != "0" {
		t.Fatalf("n1's revenue before: %s", v)
	}
	if err := f.tr.Apply(context.Background(), got[0][1]); err != nil {
		t.Fatal(err)
	}
	changed := f.srv.Changed()
	f.srv.Updated()
	select {
	case <-changed:
	default:
		t.Fatal("Updated did not wake the change streams")
	}
	f.getJSON("/api/v1/report", adminToken, &rep)
	if v, _ := valueOf(t, rep, "revenue", "n1", "2025-03-01"); v != "7" {
		t.Fatalf("n1's revenue after Updated: %q", v)
	}

	// The owners tick: a goal achieved in the replica emits nothing here,
	// where a server of its own would (the control, below).
	big := deal("d9", "n1", "120000", day(3, 10))
	if err := f.tr.Apply(context.Background(), big); err != nil {
		t.Fatal(err)
	}
	own := newFixture(t, nil)
	own.post(big)
	for _, x := range []*fixture{f, own} {
		x.srv.tick(context.Background())
	}
	emitted := func(x *fixture) (n int) {
		x.tr.Indicators().LedgerRange(func(string, []byte) bool { n++; return true })
		return n
	}
	if n, m := emitted(f), emitted(own); n != 0 || m == 0 {
		t.Fatalf("notifications after a tick: %d in front of a log (want 0), %d on a tracker of its own (want some)", n, m)
	}
}

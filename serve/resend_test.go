package serve

import (
	"encoding/json"
	"testing"

	"github.com/goalkit/goalkit/kpi"
)

// A batch holding two versions of one id (a correction, a retraction of
// an event it adds), sent again, changes nothing: its last version of each
// id is the one applied, so nothing is applied and the streams stay quiet.
// It applied both versions again, counted as applied, and told the streams
// of a change.
func TestIngestResendWithTwoVersionsOfAnID(t *testing.T) {
	f := newFixture(t, nil)
	batch := ndjson(t, []kpi.Event{
		deal("d1", "n1", "100", day(3, 10)), deal("d1", "n1", "150", day(3, 10)),
		deal("d2", "n2", "200", day(3, 11)),
		deal("d3", "n1", "7", day(3, 12)), {ID: "d3", Deleted: true},
	})
	var res ingestResult
	post := func(want ingestResult) {
		t.Helper()
		w := f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson", batch)
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || res != want {
			t.Fatalf("%d %s, want %+v", w.Code, w.Body, want)
		}
	}
	// d3, added and retracted in the batch, had no live version before
	// it and has none after: it changes nothing.
	post(ingestResult{5, 3, 2})
	before := f.srv.changes.current()
	post(ingestResult{5, 0, 5})
	if n := f.srv.changes.current(); n != before {
		t.Errorf("changes after the batch sent again: %d, want %d", n, before)
	}
	// After a restart, which knows only the live versions, too.
	f.restart()
	post(ingestResult{5, 0, 5})
	var rep map[string]any
	f.getJSON("/api/v1/values", adminToken, &rep)
	// 150 (d1's last version) + 200 (d2); d3 retracted.
	if got, _ := valueOf(t, rep, "revenue", "*", "2025-03-01"); got != "350" {
		t.Errorf("revenue: %q, want 350", got)
	}
	// A batch whose last version of d1 differs from the one applied is
	// applied as it is, each version in order.
	w := f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson",
		ndjson(t, []kpi.Event{deal("d1", "n1", "150", day(3, 10)), deal("d1", "n1", "90", day(3, 10))}))
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || res != (ingestResult{2, 1, 1}) {
		t.Fatalf("a new last version: %d %s", w.Code, w.Body)
	}
	f.getJSON("/api/v1/values", adminToken, &rep)
	if got, _ := valueOf(t, rep, "revenue", "*", "2025-03-01"); got != "290" {
		t.Errorf("revenue after d1's new version: %q, want 290", got)
	}
}

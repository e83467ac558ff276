package serve

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// A batch sent again after the server restarted changes nothing, as it
// does before: a retraction applied before is unchanged, not applied
// again (and the answer counts it so), and the report stays the same.
func TestRetryAfterRestart(t *testing.T) {
	f := newFixture(t, nil)
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	f.post(deal("a", "n2", "1000", at), deal("b", "n2", "500", at))
	batch := ndjson(t, []kpi.Event{deal("a", "n2", "1000", at), {ID: "b", Deleted: true}})
	if w := f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson", batch); w.Code != 200 || !contains(w.Body.Bytes(), `"applied":1`) {
		t.Fatalf("first: %d %s", w.Code, w.Body)
	}
	f.restart()
	w := f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson", batch)
	if w.Code != 200 || !contains(w.Body.Bytes(), `{"received":2,"applied":0,"unchanged":2}`) {
		t.Fatalf("the same batch after a restart: %d %s, want every version unchanged", w.Code, w.Body)
	}
}

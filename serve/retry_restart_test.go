package serve

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// A batch sent again after the server restarted changes nothing, as it
// does before: a retraction applied before is unchanged, not applied
// again (and the answer counts it so), and the report stays the same.
func TestRetryAfterRestart(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	f.post(deal("a", "n2", "1000", at), deal("b", "n2", "500", at))
	batch := ndjson(t, []kpi.Event{deal("a", "n2", "1000", at), {ID: "b", Deleted: true}})
	if w := f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson", batch); w.Code != 200 || !contains(w.Body.Bytes(), `"applied":1`) {
		t.Fatalf("first: %d %s", w.Code, w.Body)
	}
	if err := f.tr.Close(); err != nil {
		t.Fatal(err)
	}
	tr, err := f.plan.Track(ctx, f.store, f.srv.cfg.Options...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	cfg := f.srv.cfg
	cfg.Logger = slog.New(slog.NewTextHandler(f.logs, nil))
	srv, err := New(ctx, f.plan, tr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.tr, f.srv, f.h = tr, srv, srv
	w := f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson", batch)
	if w.Code != 200 || !contains(w.Body.Bytes(), `{"received":2,"applied":0,"unchanged":2}`) {
		t.Fatalf("the same batch after a restart: %d %s, want every version unchanged", w.Code, w.Body)
	}
}

package dashboard_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// A HEAD of the change stream is answered with its headers alone. The
// stream went on behind them until the client went away, and since
// nothing is read from a connection whose handler is busy, the client's
// next request on that connection (a page) got no answer.
func TestStreamHead(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	h := dashboardOver(t, f, dashboardOptions())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req := httptest.NewRequestWithContext(ctx, "HEAD", "/changes", nil)
	req.AddCookie(&http.Cookie{Name: "viewer", Value: "anna"})
	w := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.ServeHTTP(w, req)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cancel()
		<-done
		t.Fatal("HEAD /changes: the stream is still open after 5 s")
	}
	if w.Code != 200 || w.Header().Get("Content-Type") != "text/event-stream" {
		t.Errorf("HEAD /changes: %d %q, want 200 text/event-stream", w.Code, w.Header().Get("Content-Type"))
	}
}

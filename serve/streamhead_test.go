package serve

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"
)

// A HEAD of /api/v1/stream is answered with the stream's headers alone.
// The stream went on behind them until the client went away, and since
// nothing is read from a connection whose handler is busy, the client's
// next request on that connection got no answer (curl -I, then a GET on
// the same connection, waited for ever).
func TestStreamHead(t *testing.T) {
	f := newFixture(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req := httptest.NewRequestWithContext(ctx, "HEAD", "/api/v1/stream", nil)
	req.Header.Set("Authorization", "Bearer "+n2Token)
	w := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.h.ServeHTTP(w, req)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cancel()
		<-done
		t.Fatal("HEAD /api/v1/stream: the stream is still open after 5 s")
	}
	if w.Code != 200 || w.Header().Get("Content-Type") != "text/event-stream" {
		t.Errorf("HEAD /api/v1/stream: %d %q, want 200 text/event-stream", w.Code, w.Header().Get("Content-Type"))
	}
	if w.Body.Len() != 0 {
		t.Errorf("HEAD /api/v1/stream: a body of %d bytes", w.Body.Len())
	}
}

package dashboard_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestBrowserStreamRefusedOnce: a stream answered once with an error
// status (a proxy's 502 or 503 while the server restarts) is opened again
// by the page, which then follows the changes as before. A browser's
// EventSource gives up for good on a status other than 200, and the page
// stayed as it was, no longer live, until it was reloaded.
func TestBrowserStreamRefusedOnce(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	opts := dashboardOptions()
	opts.StreamURL = "./flaky"
	h := dashboardOver(t, f, opts)
	var asked atomic.Int32
	mux := http.NewServeMux()
	mux.Handle("/", h)
	mux.HandleFunc("/flaky", func(w http.ResponseWriter, r *http.Request) {
		if asked.Add(1) == 1 {
			http.Error(w, "restarting", http.StatusServiceUnavailable)
			return
		}
		// The stream of the fixture's own dashboard.
		r.URL.Path = "/changes"
		f.server.Config.Handler.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	movesLive(t, f, srv.URL, 20*time.Second)
	if n := asked.Load(); n < 2 {
		t.Errorf("the stream was asked for %d times, want it asked again after the refusal", n)
	}
}

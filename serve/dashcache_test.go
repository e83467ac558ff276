package serve

import (
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// The dashboard's pages read in one second share one evaluation of the
// report, as the API's reads do ("the readers of a busy dashboard share
// it"): each page asked for the report as of the clock's nanosecond, so
// every page, a kiosk's after each change included, evaluated its own and
// filled the cache with reports read once.
func TestDashboardSharesTheSecondsReport(t *testing.T) {
	var ticks atomic.Int64
	f := newFixture(t, func(c *Config) {
		// A clock that moves a millisecond at each reading, within one second.
		c.Now = func() time.Time { return testNow.Add(time.Duration(ticks.Add(1)) * time.Millisecond) }
	})
	for _, page := range []string{"/", "/ranking", "/", "/scorecards"} {
		req := httptest.NewRequest("GET", page, nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, req)
		if w.Code != 200 {
			t.Fatalf("GET %s: %d %s", page, w.Code, w.Body)
		}
	}
	f.srv.cache.mu.Lock()
	n := len(f.srv.cache.m)
	f.srv.cache.mu.Unlock()
	if n != 1 {
		t.Errorf("4 pages read within one second made %d reports, want 1", n)
	}
}

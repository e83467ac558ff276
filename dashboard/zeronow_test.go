package dashboard_test

import (
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/dashboard"
)

// TestZeroNow: a clock that returns the zero time is refused when the
// dashboard is made, naming Options.Now; one that turns to the zero time
// later makes each page answer 500 naming the clock, where every page
// answered "cannot show this now" and nothing named the cause.
func TestZeroNow(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	zero := func() time.Time { return time.Time{} }
	if _, err := dashboard.New(f.data, dashboard.Options{Viewer: cookieViewer, Now: zero}); err == nil || !strings.Contains(err.Error(), "Options.Now") {
		t.Errorf("New with a clock of the zero time: %v, want an error naming Options.Now", err)
	}
	var broken atomic.Bool
	h, err := dashboard.New(f.data, dashboard.Options{Viewer: cookieViewer, Now: func() time.Time {
		if broken.Load() {
			return time.Time{}
		}
		return asOf
	}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	g := &fixture{data: f.data, server: srv}
	if resp, _ := get(t, g, "/", "admin"); resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d before the clock broke", resp.StatusCode)
	}
	broken.Store(true)
	for _, c := range []struct{ lang, says string }{
		{"en", "its clock (Options.Now) gave the zero time"},
		{"ru", "её часы (Options.Now) дали нулевое время"},
	} {
		for _, page := range []string{"/", "/ranking", "/scorecards", "/teams", "/cascades", "/breakdowns", "/stats"} {
			resp, body := get(t, g, page+"?lang="+c.lang, "admin")
			if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(html.UnescapeString(body), c.says) {
				t.Errorf("%s %s: status %d, want 500 saying %q", c.lang, page, resp.StatusCode, c.says)
			}
		}
	}
}

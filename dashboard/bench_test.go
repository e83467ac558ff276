package dashboard_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/goalkit/goalkit/dashboard"
	"github.com/goalkit/goalkit/goal"
)

// BenchmarkPages renders each page for an admin (every participant's
// rows) through the handler, report included.
func BenchmarkPages(b *testing.B) {
	f := newFixture(b, dashboardOptions())
	h := f.server.Config.Handler
	// The report alone, which every page but the explanation reads once:
	// the rest of a page's time is the dashboard's.
	b.Run("report", func(b *testing.B) {
		for b.Loop() {
			f.report(b, goal.Viewer{Admin: true})
		}
	})
	for _, p := range []struct{ name, path string }{
		{"goals", "/"},
		{"goal", "/goal?goal=revenue_month&participant=anna"},
		{"scorecards", "/scorecards"},
		{"explain", "/explain?indicator=revenue&participant=anna&grain=month&from=2026-12-01&to=2027-01-01"},
	} {
		b.Run(p.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", p.path, nil)
			req.AddCookie(&http.Cookie{Name: "viewer", Value: "admin"})
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}

// BenchmarkNew makes a dashboard over a tracker's data: a server of the
// service makes one at each start, and its tests one for every server.
func BenchmarkNew(b *testing.B) {
	f := newFixture(b, dashboardOptions())
	opts := dashboard.Options{Viewer: cookieViewer, Now: func() time.Time { return asOf }}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dashboard.New(f.data, opts); err != nil {
			b.Fatal(err)
		}
	}
}

package dashboard_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/dashboard"
)

// New parsed every page's templates again for each dashboard (17,000
// allocations a server, a third of the time of serve's route property
// under -race). They are parsed once a process and shared: a New after
// the first allocates only its own handler.
func TestNewParsesTemplatesOnce(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	opts := dashboard.Options{Viewer: cookieViewer, Now: func() time.Time { return asOf }}
	allocs := testing.AllocsPerRun(5, func() {
		if _, err := dashboard.New(f.data, opts); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1000 {
		t.Errorf("New allocates %.0f times, want at most 1000 (the templates parsed once)", allocs)
	}
}

// Dashboards made at once on many goroutines, and each page asked of them
// at once, share the parsed templates: every page is byte for byte the
// page of a dashboard made alone (run with -race).
func TestNewConcurrentPagesAlike(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	opts := dashboard.Options{Viewer: cookieViewer, Now: func() time.Time { return asOf }}
	paths := []string{"/", "/goal?goal=revenue_month&participant=anna", "/ranking", "/scorecards", "/teams", "/cascades", "/stats", "/breakdowns",
		"/explain?indicator=revenue&participant=anna&grain=month&from=2026-12-01&to=2027-01-01", "/nosuch"}
	page := func(h http.Handler, path, lang string) (int, string) {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(&http.Cookie{Name: "viewer", Value: "admin"})
		req.Header.Set("Accept-Language", lang)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	alone, err := dashboard.New(f.data, opts)
	if err != nil {
		t.Fatal(err)
	}
	type answer struct {
		code int
		body string
	}
	want := map[string]answer{}
	for i, p := range paths {
		lang := []string{"en", "ru"}[i%2]
		code, body := page(alone, p, lang)
		if code != http.StatusOK && p != "/nosuch" {
			t.Fatalf("%s %s: %d", lang, p, code)
		}
		want[lang+" "+p] = answer{code, body}
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			h, err := dashboard.New(f.data, opts)
			if err != nil {
				t.Error(err)
				return
			}
			for i, p := range paths {
				if (i+g)%2 != 0 {
					continue // each page asked of two dashboards at once
				}
				lang := []string{"en", "ru"}[i%2]
				w := want[lang+" "+p]
				if code, body := page(h, p, lang); code != w.code || body != w.body {
					t.Errorf("%s %s: %d, %d bytes, not the page of a dashboard made alone (%d, %d bytes)", lang, p, code, len(body), w.code, len(w.body))
				}
			}
		})
	}
	wg.Wait()
}

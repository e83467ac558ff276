package dashboard_test

import (
	"net/http"
	"testing"
)

// TestMethodNotAllowed: a page asked with a method it does not take is 405
// with the methods it takes in Allow, as an endpoint of the service is,
// rather than 404, as if there were no such page; a path no page has is
// still 404, and a request without a viewer still 401.
func TestMethodNotAllowed(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	for _, c := range []struct {
		method, path, viewer, allow string
		code                        int
	}{
		{"POST", "/", "anna", "GET, HEAD", http.StatusMethodNotAllowed},
		{"POST", "/goal?goal=revenue_month&participant=anna", "anna", "GET, HEAD", http.StatusMethodNotAllowed},
		{"DELETE", "/ranking", "admin", "GET, HEAD", http.StatusMethodNotAllowed},
		{"PUT", "/changes", "admin", "GET, HEAD", http.StatusMethodNotAllowed},
		{"POST", "/assets/dashboard.css", "", "GET, HEAD", http.StatusMethodNotAllowed},
		{"POST", "/nothing", "anna", "", http.StatusNotFound},
		{"POST", "/ranking", "", "", http.StatusUnauthorized},
	} {
		req, err := http.NewRequest(c.method, f.server.URL+c.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.viewer != "" {
			req.AddCookie(&http.Cookie{Name: "viewer", Value: c.viewer})
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.code || resp.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s: %d, Allow %q; want %d, Allow %q", c.method, c.path, resp.StatusCode, resp.Header.Get("Allow"), c.code, c.allow)
		}
	}
}

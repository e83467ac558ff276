package serve

import (
	"encoding/json"
	"net/http"
	"testing"
)

// A method an endpoint does not take is 405 with the methods it does in
// Allow, not 404 "no such endpoint": the endpoint exists. A path no
// endpoint has is still 404.
func TestMethodNotAllowed(t *testing.T) {
	f := newFixture(t, nil)
	for _, c := range []struct {
		method, target, allow string
		code                  int
	}{
		{"POST", "/api/v1/report", "GET, HEAD", http.StatusMethodNotAllowed},
		{"DELETE", "/api/v1/goals", "GET, HEAD", http.StatusMethodNotAllowed},
		{"GET", "/api/v1/events", "POST", http.StatusMethodNotAllowed},
		{"PUT", "/api/v1/events", "POST", http.StatusMethodNotAllowed},
		{"GET", "/api/v1/goals/revenue_user/close", "POST", http.StatusMethodNotAllowed},
		{"POST", "/api/v1/goals/revenue_user/progress/n1", "GET, HEAD", http.StatusMethodNotAllowed},
		{"POST", "/healthz", "GET, HEAD", http.StatusMethodNotAllowed},
		{"PUT", "/readyz", "GET, HEAD", http.StatusMethodNotAllowed},
		{"POST", "/metrics", "GET, HEAD", http.StatusMethodNotAllowed},
		{"DELETE", "/openapi.yaml", "GET, HEAD", http.StatusMethodNotAllowed},
		{"GET", "/api/v1/nothing", "", http.StatusNotFound},
		{"POST", "/api/v2/report", "", http.StatusNotFound},
	} {
		w := f.do(c.method, c.target, adminToken, "", nil)
		var eb errorBody
		if w.Code != c.code || w.Header().Get("Allow") != c.allow || json.Unmarshal(w.Body.Bytes(), &eb) != nil || eb.Error == "" {
			t.Errorf("%s %s: %d, Allow %q, %s; want %d, Allow %q and a JSON error", c.method, c.target, w.Code, w.Header().Get("Allow"), w.Body, c.code, c.allow)
		}
	}
}

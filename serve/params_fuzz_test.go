package serve

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Every query parameter of the reads, whatever its value: the answer is
// 200, or 400 whose error names the parameter, or 404 (a cell or a row
// that is not there), never a failure of the server (500) nor a page of
// another shape.
func FuzzReadParams(f *testing.F) {
	for _, c := range [][2]string{
		{"as_of", "2025-03-20T12:00:00Z"}, {"as_of", "2025-02-30T12:00:00Z"}, {"as_of", "2025-03-20t12:00:00z"},
		{"as_of", "2025-03-20T12:00:00 03:00"}, {"as_of", "0001-01-01T00:00:00Z"}, {"as_of", "9999-12-31T23:59:59-01:00"},
		{"as_of", "0000-01-01T00:00:00+01:00"}, {"as_known_at", "2025-03-10T00:00:00Z"}, {"period", "2025-03"},
		{"period", "2025-W14"}, {"period", "2025-Q2"}, {"period", "2025-13"}, {"period", "9999-12"}, {"period", "-0001-01"},
		{"since", "2025-03-01T00:00:00Z"}, {"indicator", "revenue"}, {"participant", "n1"}, {"participant", "\u202e"},
	} {
		f.Add(c[0], c[1])
	}
	fx := newFixture(f, nil)
	fx.post(deal("d1", "n1", "5", day(3, 10)), call("c1", "n2", day(4, 10)))
	routes := []string{"/api/v1/report", "/api/v1/goals", "/api/v1/notifications",
		"/api/v1/goals/revenue_user/progress/n1", "/api/v1/explain?indicator=revenue&participant=n1&period=2025-03"}
	f.Fuzz(func(t *testing.T, name, value string) {
		switch name {
		case "as_of", "as_known_at", "period", "since", "indicator", "participant":
		default:
			name = "as_of"
		}
		for _, route := range routes {
			u, err := url.Parse(route)
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			q.Set(name, value)
			u.RawQuery = q.Encode()
			req := httptest.NewRequest("GET", u.String(), nil)
			req.Header.Set("Authorization", "Bearer "+adminToken)
			w := httptest.NewRecorder()
			fx.h.ServeHTTP(w, req) // fx.do would call the fuzz target's Helper
			var eb errorBody
			switch w.Code {
			case 200:
				if !json.Valid(w.Body.Bytes()) {
					t.Fatalf("%s: not JSON: %s", u, w.Body)
				}
			case 400:
				if err := json.Unmarshal(w.Body.Bytes(), &eb); err != nil {
					t.Fatalf("%s: %s", u, w.Body)
				}
				// The parameter's own, or the engine's refusal of a
				// cell an admin asked (named in its words), or the two
				// instants that disagree.
				if !strings.HasPrefix(eb.Error, "parameter ") && !strings.HasPrefix(route, "/api/v1/explain") && !strings.Contains(eb.Error, "as_known_at") {
					t.Fatalf("%s: 400 naming no parameter: %s", u, w.Body)
				}
			case 404:
				if !strings.Contains(route, "progress") && !strings.HasPrefix(route, "/api/v1/explain") {
					t.Fatalf("%s: 404 %s", u, w.Body)
				}
			default:
				t.Fatalf("%s: %d %s", u, w.Code, w.Body)
			}
		}
	})
}

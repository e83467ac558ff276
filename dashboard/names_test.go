package dashboard_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/dashboard"
	"github.com/goalkit/goalkit/goal"
)

// TestNamer: with a Namer the pages show names and keep ids in the
// addresses; without one (or for a participant it does not know) they
// show the id.
func TestNamer(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	_, body := get(t, f, "/?lang=en", "admin")
	for _, want := range []string{
		`participant=anna"><bdi>Anna Petrova</bdi></a>`, `participant=north"><bdi>North</bdi></a>`, `participant=%2A"><bdi>Company</bdi></a>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("named: no %s", want)
		}
	}
	_, body = get(t, f, "/explain?indicator=revenue&participant=anna&grain=month&from=2026-12-01&to=2027-01-01&lang=en", "anna")
	if !strings.Contains(body, "<td><bdi>Anna Petrova</bdi></td>") || strings.Contains(body, "<td><bdi>anna</bdi></td>") {
		t.Error("the explanation's events do not name their actor")
	}

	// The same data without the capability.
	h, err := dashboard.New(struct{ dashboard.Data }{f.data}, dashboard.Options{
		Viewer: func(*http.Request) (goal.Viewer, bool) { return goal.Viewer{Admin: true}, true },
		Now:    f.data.now,
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/?lang=en", nil))
	body = rec.Body.String()
	if !strings.Contains(body, `participant=anna"><bdi>anna</bdi></a>`) || strings.Contains(body, "Anna Petrova") {
		t.Error("without a Namer the cards should show ids")
	}
}

package serve

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/org"
)

// failingDirectory fails once failing is set.
type failingDirectory struct {
	org.Directory
	failing atomic.Bool
}

func (d *failingDirectory) Units(ctx context.Context) ([]org.Unit, error) {
	if d.failing.Load() {
		return nil, errors.New("directory down")
	}
	return d.Directory.Units(ctx)
}

// A dashboard page whose report fails is logged with the reason, as the
// API's failed reads are; the page says only that it failed, and nothing
// told the operator why (the request's line said status=500). It is one
// line, the dashboard's (its path and the error), with nothing of the
// token or the query: the server logged the failed read and the
// dashboard, through the server's logger, the page, two lines of one
// failure.
func TestDashboardFailureLogged(t *testing.T) {
	dir := &failingDirectory{Directory: goalkittest.ReadDirectory(t, "testdata/directory.json")}
	f := planFixture(t, goalkittest.ReadPlan(t, "testdata/plan.yaml"), dir, nil)
	dir.failing.Store(true) // the host's directory is down: every report fails
	for _, page := range []string{"/", "/goal?goal=revenue_user&participant=n1", "/ranking?lang=ru"} {
		f.logs.Reset()
		req := httptest.NewRequest("GET", page, nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, req)
		if w.Code != 500 {
			t.Fatalf("GET %s with the directory down: %d, want 500", page, w.Code)
		}
		path, _, _ := strings.Cut(page, "?")
		var failures []string
		for _, line := range strings.Split(f.logs.String(), "\n") {
			if strings.Contains(line, "level=ERROR") {
				failures = append(failures, line)
			}
		}
		if len(failures) != 1 || !strings.Contains(failures[0], "page="+path+" ") || !strings.Contains(failures[0], "directory down") {
			t.Errorf("GET %s: want one line of the failure with the path and the error, logged:\n%s", page, f.logs)
		}
		for _, secret := range []string{adminToken, "participant", "lang"} {
			if strings.Contains(strings.Join(failures, "\n"), secret) {
				t.Errorf("GET %s: the failure's line holds %q:\n%s", page, secret, f.logs)
			}
		}
	}
	// A page of nothing is not a failure.
	f2 := newFixture(t, nil)
	req := httptest.NewRequest("GET", "/goal?goal=nope&participant=n1", nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	w := httptest.NewRecorder()
	f2.h.ServeHTTP(w, req)
	if w.Code != 404 || strings.Contains(f2.logs.String(), "level=ERROR") {
		t.Errorf("GET a goal that does not exist: %d, log:\n%s", w.Code, f2.logs)
	}
}

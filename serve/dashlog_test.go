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
// told the operator why (the request's line said status=500).
func TestDashboardFailureLogged(t *testing.T) {
	dir := &failingDirectory{Directory: goalkittest.ReadDirectory(t, "testdata/directory.json")}
	f := planFixture(t, goalkittest.ReadPlan(t, "testdata/plan.yaml"), dir, nil)
	dir.failing.Store(true) // the host's directory is down: every report fails
	for _, page := range []string{"/", "/goal?goal=revenue_user&participant=n1"} {
		f.logs.Reset()
		req := httptest.NewRequest("GET", page, nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, req)
		if w.Code != 500 {
			t.Fatalf("GET %s with the directory down: %d, want 500", page, w.Code)
		}
		if !strings.Contains(f.logs.String(), `msg="dashboard: report failed" err=`) || !strings.Contains(f.logs.String(), "directory down") {
			t.Errorf("GET %s: the log says nothing of the failure:\n%s", page, f.logs)
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

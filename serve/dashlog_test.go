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
		f.failsInOneLine(page, "page")
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

// An API read that fails is one line of the log with the request's path
// (not its query) and the error; the line said "read failed" and the error
// alone, and which endpoint failed was the next line's to guess, among
// the requests of every other client. A request given up is no failure.
func TestReadFailureLogged(t *testing.T) {
	dir := &failingDirectory{Directory: goalkittest.ReadDirectory(t, "testdata/directory.json")}
	f := planFixture(t, goalkittest.ReadPlan(t, "testdata/plan.yaml"), dir, nil)
	dir.failing.Store(true)
	for _, target := range []string{"/api/v1/report?participant=n1", "/api/v1/goals", "/api/v1/notifications"} {
		f.failsInOneLine(target, "path")
	}
	f.logs.Reset()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest("GET", "/api/v1/report", nil).WithContext(ctx)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	f.h.ServeHTTP(httptest.NewRecorder(), req)
	if strings.Contains(f.logs.String(), "level=ERROR") {
		t.Errorf("a request given up is logged as a failure:\n%s", f.logs)
	}
}

// failsInOneLine asks for target as an admin, with the fixture's directory
// down, and fails the test unless the answer is 500 and the log has one
// line of the failure: the target's path under key ("page", "path") and
// the error, and nothing of the query or the token.
func (f *fixture) failsInOneLine(target, key string) {
	f.t.Helper()
	f.logs.Reset()
	if w := f.do("GET", target, adminToken, "", nil); w.Code != 500 {
		f.t.Fatalf("GET %s with the directory down: %d, want 500", target, w.Code)
	}
	path, query, _ := strings.Cut(target, "?")
	var failures []string
	for _, line := range strings.Split(f.logs.String(), "\n") {
		if strings.Contains(line, "level=ERROR") {
			failures = append(failures, line)
		}
	}
	if len(failures) != 1 || !strings.Contains(failures[0], key+"="+path+" ") || !strings.Contains(failures[0], "directory down") {
		f.t.Errorf("GET %s: want one line of the failure with the %s and the error, logged:\n%s", target, key, f.logs)
		return
	}
	for _, secret := range []string{adminToken, query} {
		if secret != "" && strings.Contains(failures[0], secret) {
			f.t.Errorf("GET %s: the failure's line holds %q: %s", target, secret, failures[0])
		}
	}
}

package dashboard_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/dashboard"
)

// syncBuffer is a log the handler's goroutines write to.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// records reads the JSON lines written since the last call.
func (b *syncBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("a log line that is no JSON: %q", line)
		}
		out = append(out, rec)
	}
	b.buf.Reset()
	return out
}

// TestFailuresAreLogged: a page that fails (the viewer sees only that it
// cannot be shown) is logged once, with its path and the error, and
// nothing of the viewer or the query; a page shown, a 404 and a 400 are
// not failures. The dashboard logged nothing, so its operator never
// learnt why every page said "cannot show this now".
func TestFailuresAreLogged(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	var log syncBuffer
	logger := slog.New(slog.NewJSONHandler(&log, nil))
	var broken atomic.Bool
	now := func() time.Time {
		if broken.Load() {
			return time.Time{}
		}
		return asOf
	}
	failing, err := dashboard.New(failingData{f.data}, dashboard.Options{Viewer: cookieViewer, Logger: logger, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	working, err := dashboard.New(f.data, dashboard.Options{Viewer: cookieViewer, Logger: logger, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	ask := func(h http.Handler, path string) int {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(&http.Cookie{Name: "viewer", Value: "nadia"})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	const report = "database at 10.0.0.7 refused the password of user boris"
	for _, page := range []string{"/", "/ranking", "/scorecards", "/teams", "/cascades", "/breakdowns", "/stats", "/goal"} {
		if code := ask(failing, page+"?lang=en&period=2026-12&goal=team_revenue&participant=anna"); code != http.StatusInternalServerError {
			t.Fatalf("%s: status %d, want 500", page, code)
		}
		recs := log.records(t)
		if len(recs) != 1 {
			t.Fatalf("%s: %d log records, want one: %v", page, len(recs), recs)
		}
		r := recs[0]
		if r["level"] != "ERROR" || r["page"] != page || r["error"] != report {
			t.Errorf("%s: logged %v, want the level ERROR, the page and the error", page, r)
		}
		line, _ := json.Marshal(r)
		for _, private := range []string{"nadia", "anna", "team_revenue", "period", "lang"} {
			if strings.Contains(string(line), private) {
				t.Errorf("%s: the log names %q: %s", page, private, line)
			}
		}
	}
	// Shown, not found and malformed: no failure of the dashboard's.
	for _, path := range []string{"/?lang=en", "/goal?goal=nothing&participant=anna", "/ranking?period=december", "/nothing"} {
		ask(working, path)
		if recs := log.records(t); len(recs) != 0 {
			t.Errorf("%s: logged %v", path, recs)
		}
	}
	broken.Store(true)
	if code := ask(working, "/scorecards?lang=en"); code != http.StatusInternalServerError {
		t.Fatalf("a broken clock: status %d", code)
	}
	recs := log.records(t)
	if len(recs) != 1 || recs[0]["page"] != "/scorecards" || !strings.Contains(recs[0]["error"].(string), "Options.Now") {
		t.Errorf("a broken clock logged %v, want one record of /scorecards naming Options.Now", recs)
	}
}

package dashboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/dashboard"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
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
	ask := func(h http.Handler, path string) int { return serveAs(h, path, "nadia").Code }
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

// explainFailingData fails every explanation with err.
type explainFailingData struct {
	*trackerData
	err error
}

func (d explainFailingData) Explain(context.Context, goal.Viewer, time.Time, goalkit.Cell) (*kpi.Explanation, error) {
	return nil, d.err
}

// TestExplainFailureLogged: an explanation that fails (a database down) is
// the operator's to see: logged with the page, and answered 500 with a page
// that says nothing of it; one that does not exist or that the viewer may
// not see (an error wrapping fs.ErrNotExist) answers 404, not logged. Every
// error was a 404, logged nowhere.
func TestExplainFailureLogged(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	const report = "database at 10.0.0.7 refused the password of user boris"
	const path = "/explain?lang=en&indicator=revenue&participant=anna&grain=month&from=2026-12-01&to=2027-01-01"
	for _, tc := range []struct {
		name   string
		err    error
		status int
		logged bool
	}{
		{"failure", errors.New(report), http.StatusInternalServerError, true},
		{"not found", fmt.Errorf("no such value: %w", fs.ErrNotExist), http.StatusNotFound, false},
	} {
		var log syncBuffer
		h, err := dashboard.New(explainFailingData{f.data, tc.err}, dashboard.Options{Viewer: cookieViewer, Logger: slog.New(slog.NewJSONHandler(&log, nil))})
		if err != nil {
			t.Fatal(err)
		}
		rec := serveAs(h, path, "nadia")
		if rec.Code != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, rec.Code, tc.status)
		}
		if body := rec.Body.String(); strings.Contains(body, "10.0.0.7") || strings.Contains(body, "no such value") {
			t.Errorf("%s: the page shows the error: %s", tc.name, body)
		}
		recs := log.records(t)
		if !tc.logged {
			if len(recs) != 0 {
				t.Errorf("%s: logged %v", tc.name, recs)
			}
			continue
		}
		if len(recs) != 1 || recs[0]["level"] != "ERROR" || recs[0]["page"] != "/explain" || recs[0]["error"] != report {
			t.Errorf("%s: logged %v, want one ERROR record of /explain with the error", tc.name, recs)
		}
	}
}

// TestFailuresLoggedOnce: what the viewer does not see fail is logged too,
// and what is no failure is not: the explanation's names read from a
// report that fails (the page is shown, participants by their ids) is one
// line of /explain; a request the viewer gave up (its report ended by the
// request's context) is none. A host such as serve, whose Data logged
// these itself, logs nothing of its own: one failure, one line.
func TestFailuresLoggedOnce(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	var log syncBuffer
	opts := dashboard.Options{Viewer: cookieViewer, Logger: slog.New(slog.NewJSONHandler(&log, nil))}
	failing, err := dashboard.New(failingData{f.data}, opts)
	if err != nil {
		t.Fatal(err)
	}
	working, err := dashboard.New(f.data, opts)
	if err != nil {
		t.Fatal(err)
	}
	rec := serveAs(failing, "/explain?lang=en&indicator=revenue&participant=anna&grain=month&from=2026-12-01&to=2027-01-01", "admin")
	if rec.Code != http.StatusOK {
		t.Fatalf("the explanation with the names' report failing: status %d, want 200", rec.Code)
	}
	const report = "database at 10.0.0.7 refused the password of user boris"
	if recs := log.records(t); len(recs) != 1 || recs[0]["page"] != "/explain" || recs[0]["error"] != report {
		t.Errorf("the names' report failed, logged %v, want one record of /explain with the error", recs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest("GET", "/?lang=en", nil).WithContext(ctx)
	req.AddCookie(&http.Cookie{Name: "viewer", Value: "admin"})
	working.ServeHTTP(httptest.NewRecorder(), req)
	if recs := log.records(t); len(recs) != 0 {
		t.Errorf("a request given up logged %v", recs)
	}
}

// TestExplainNilInput: an explanation whose Data gave an input that is
// nil (a host's redaction that dropped one in place) is a failure of the
// Data's, answered 500 and logged naming the input; the page panicked.
func TestExplainNilInput(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	var log syncBuffer
	ex := &kpi.Explanation{Indicator: "avg_deal", Participant: "anna", Label: "2026-12", Formula: "revenue / won",
		Inputs: []*kpi.Explanation{{Indicator: "revenue", Participant: "anna", Label: "2026-12"}, nil}}
	h, err := dashboard.New(fixedExplanation{f.data, ex}, dashboard.Options{Viewer: cookieViewer, Logger: slog.New(slog.NewJSONHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	var rec *httptest.ResponseRecorder
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("the page panicked: %v", r)
			}
		}()
		rec = serveAs(h, "/explain?lang=en&indicator=avg_deal&participant=anna&grain=month&from=2026-12-01&to=2027-01-01", "admin")
	}()
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", rec.Code)
	}
	recs := log.records(t)
	if len(recs) != 1 || recs[0]["page"] != "/explain" || !strings.Contains(fmt.Sprint(recs[0]["error"]), "inputs[1]") {
		t.Errorf("logged %v, want one record of /explain naming inputs[1]", recs)
	}
	if line, _ := json.Marshal(recs); strings.Contains(string(line), "anna") {
		t.Errorf("the log names the participant asked: %s", line)
	}
}

// fixedExplanation explains every cell with ex.
type fixedExplanation struct {
	*trackerData
	ex *kpi.Explanation
}

func (d fixedExplanation) Explain(context.Context, goal.Viewer, time.Time, goalkit.Cell) (*kpi.Explanation, error) {
	return d.ex, nil
}

// fixedReport reports rep to every viewer.
type fixedReport struct {
	*trackerData
	rep *goalkit.Report
}

func (d fixedReport) Report(context.Context, goal.Viewer, time.Time) (*goalkit.Report, error) {
	return d.rep, nil
}

// TestReportNilPart: a report whose Data gave a nil goal row or cascade
// node (a host's filtering that left a hole) makes each page that reads
// the report answer 500 and log which part is nil; the pages panicked
// and their connections were dropped without a line.
func TestReportNilPart(t *testing.T) {
	f := newFixture(t, dashboardOptions())
	real := f.report(t, goal.Viewer{Admin: true})
	withNilRow := *real
	goals := *real.Goals
	goals.Rows = append([]*goal.Row{goals.Rows[0], nil}, goals.Rows[1:]...)
	withNilRow.Goals = &goals
	withNilNode := *real
	trees := *real.Cascade
	root := *trees.Trees[0].Root
	root.Children = append(slices.Clone(root.Children), nil)
	tree := *trees.Trees[0]
	tree.Root = &root
	trees.Trees = []*cascade.Tree{&tree}
	withNilNode.Cascade = &trees
	for _, c := range []struct {
		rep  *goalkit.Report
		part string
	}{
		{&withNilRow, "goals.rows[1]"},
		{&withNilNode, fmt.Sprintf("cascade.trees[0].root.children[%d]", len(root.Children)-1)},
	} {
		var log syncBuffer
		h, err := dashboard.New(fixedReport{f.data, c.rep}, dashboard.Options{Viewer: cookieViewer, Logger: slog.New(slog.NewJSONHandler(&log, nil))})
		if err != nil {
			t.Fatal(err)
		}
		for _, page := range []string{"/", "/ranking", "/teams", "/cascades", "/goal"} {
			var rec *httptest.ResponseRecorder
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s with a nil %s: the page panicked: %v", page, c.part, r)
					}
				}()
				rec = serveAs(h, page+"?lang=en&goal=team_revenue&participant=north", "admin")
			}()
			if rec == nil {
				continue
			}
			recs := log.records(t)
			if rec.Code != http.StatusInternalServerError || len(recs) != 1 || !strings.Contains(fmt.Sprint(recs[0]["error"]), c.part+" is nil") {
				t.Errorf("%s with a nil %s: status %d, logged %v; want 500 and one line naming it", page, c.part, rec.Code, recs)
			}
		}
	}
}

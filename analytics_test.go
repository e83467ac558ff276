package goalkit_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// analyticsReport evaluates the analytics example (breakdowns, a top with
// its other row, percentiles) as of the end of March.
func analyticsReport(t *testing.T) (*goalkit.Plan, *memory.Store, *goalkit.Report) {
	t.Helper()
	return evalFiles(t, filepath.Join("examples", "analytics"), func(plan *goalkit.Plan) time.Time {
		return time.Date(2025, 4, 1, 0, 0, 0, 0, plan.Calendar().Location())
	})
}

// The analytics report in every format: JSON (its breakdowns key matches
// the report schema), table and CSV (the by columns). The numbers are
// recomputed apart in examples/analytics.
func TestAnalyticsReport(t *testing.T) {
	_, _, rep := analyticsReport(t)
	checkReportGolden(t, rep, "analytics/report.golden")
	var b bytes.Buffer
	if err := rep.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "analytics/report.golden.csv", b.Bytes())
	rows, err := csv.NewReader(bytes.NewReader(b.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "indicator,participant,period,period_start,period_end,value,by,by.source,by.product,other" {
		t.Fatalf("csv header %s", got)
	}
	checkReportSchema(t, "the analytics report", reportJSON(t, rep))
	// Every breakdown row is in the CSV after the totals, with its values.
	n := 0
	for _, r := range rep.Values.Rows() {
		if r.By != nil || r.Other {
			n++
		}
	}
	if want := 1 + len(rep.Values.Rows()); len(rows) != want || n == 0 {
		t.Fatalf("csv: %d lines, want %d (%d breakdown rows)", len(rows), want, n)
	}
}

// A live tracker of the same events reports the same breakdowns as a batch
// evaluation, and a viewer sees the breakdown rows of the participants it
// may see only.
func TestAnalyticsTrackedAndViewed(t *testing.T) {
	ctx := context.Background()
	plan, store, rep := analyticsReport(t)
	tr := startTracker(t, plan)
	err := store.Scan(ctx, kpi.Query{}, func(e *kpi.Event) error { return tr.Apply(ctx, *e) })
	if err != nil {
		t.Fatal(err)
	}
	live := mustReport(t, tr, rep.AsOf)
	if got, want := reportJSON(t, live), reportJSON(t, rep); !bytes.Equal(got, want) {
		t.Fatalf("tracked report differs from the evaluated one:\n%s\nwant\n%s", got, want)
	}
	view := rep.Values.View(func(p string) bool { return p == "anna" })
	leads := 0
	for _, r := range view.Rows() {
		if r.Participant != "anna" {
			t.Fatalf("the view of anna holds a row of %s", r.Participant)
		}
		if r.Indicator == "leads" && r.By != nil {
			leads++
		}
	}
	if leads == 0 {
		t.Fatal("the view of anna lost her own breakdown rows")
	}
}

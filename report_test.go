package goalkit_test

import (
	"flag"
	"path/filepath"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/internal/golden"
)

var update = flag.Bool("update", false, "rewrite golden files")

// evalDir evaluates testdata/DIR/plan.yaml over testdata/DIR/events.ndjson,
// applying every line as it comes (corrections, retractions, duplicates).
func evalDir(t *testing.T, dir string, asOf time.Time) (*goalkit.Plan, *goalkit.Report) {
	t.Helper()
	plan, _, rep := evalFiles(t, filepath.Join("testdata", dir), func(*goalkit.Plan) time.Time { return asOf })
	return plan, rep
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got, *update)
}

// TestBoundaryReport checks a week report across New Year against values
// computed by hand from the events (see the comments), then the whole report
// against its golden file.
func TestBoundaryReport(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	plan, rep := evalDir(t, "boundary", time.Date(2026, 1, 12, 0, 0, 0, 0, berlin))
	cal := plan.Calendar()
	const null = "null"
	// Weeks: 2025-W52 = Dec 22–28, 2026-W01 = Dec 29–Jan 4, 2026-W02 = Jan 5–11.
	// c1 falls on Dec 21 23:59:59 local (W51), c2 on Dec 22 00:00 (W52),
	// c3 on Dec 28 23:59:59.999 (W52), c4 on Dec 29 00:00 (W01). w5 was
	// corrected from 70 to 75, w6 retracted, w7 duplicated, w8 is in W03.
	// USD converts at the budget rate 0.9; GBP has no rate (w4 is unpriced).
	want := map[string]map[string][3]string{
		"won":         {"ann": {"2", "0", "1"}, "bob": {"0", "2", "1"}, "*": {"2", "2", "2"}},
		"created":     {"ann": {"1", "1", "0"}, "bob": {"1", "1", "0"}, "*": {"2", "2", "0"}},
		"revenue_eur": {"ann": {"145", "0", "75"}, "bob": {"0", "200.5", "1"}, "*": {"145", "200.5", "76"}},
		"raw_sum":     {"ann": {null, "0", "75"}, "bob": {"0", null, "1"}, "*": {null, null, "76"}},
		"biggest":     {"ann": {null, null, "75"}, "bob": {null, null, "1"}, "*": {null, null, "75"}},
		"web":         {"ann": {"1", "0", "1"}, "bob": {"0", "1", "0"}, "*": {"1", "1", "1"}},
		"web_share":   {"ann": {"0.5", null, "1"}, "bob": {null, "0.5", "0"}, "*": {"0.5", "0.5", "0.5"}},
		"conversion":  {"ann": {"2", "0", null}, "bob": {"0", "2", null}, "*": {"1", "1", null}},
		"growth":      {"ann": {"2", "-2", "1"}, "bob": {"0", "2", "-1"}, "*": {"2", "0", "0"}},
	}
	labels := []string{"2025-W52", "2026-W01", "2026-W02"}
	if got := rep.Values.Participants(); len(got) != 3 || got[0] != "ann" || got[1] != "bob" || got[2] != "*" {
		t.Fatalf("participants %v", got)
	}
	for ind, byWho := range want {
		for who, vals := range byWho {
			for i, l := range labels {
				p, err := cal.ParseLabel(l)
				if err != nil {
					t.Fatal(err)
				}
				v, ok := rep.Values.Value(ind, who, p)
				got := null
				if v.Valid {
					got = v.Decimal.String()
				}
				if !ok || got != vals[i] {
					t.Errorf("%s for %s in %s = %s, want %s", ind, who, l, got, vals[i])
				}
			}
		}
	}
	if u := rep.Values.Unpriced; len(u) != 1 || u[0].Event != "w4" || u[0].Currency != "GBP" || u[0].Indicator != "revenue_eur" {
		t.Errorf("unpriced = %+v, want w4 in GBP", u)
	}
	if n := len(rep.Values.Warnings); n != 8 {
		t.Errorf("%d warnings, want 8 (raw_sum and biggest, mixed in ann W52, bob W01, * W52 and * W01): %+v", n, rep.Values.Warnings)
	}
	checkReportGolden(t, rep, "boundary/report.golden")
}

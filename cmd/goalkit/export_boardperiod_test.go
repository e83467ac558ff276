package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportBoardOfPeriod: with -period and no -leaderboard, goalkit export
// draws the first leaderboard that has that period, as its -h and
// docs/export.md say: a weekly board listed before a monthly one has no
// 2025-03, and the monthly board is drawn. A period that no board has is
// refused with the periods the boards have, never naming a board that was
// not asked for as the one that lacks it.
func TestExportBoardOfPeriod(t *testing.T) {
	src, err := os.ReadFile(exportPlan)
	if err != nil {
		t.Fatal(err)
	}
	plan := strings.Replace(string(src), "bonuses:", `  - id: weekly
    grain: week
    kpis:
      - {indicator: calls, target: 5, weight: 100}
bonuses:`, 1)
	plan = strings.Replace(plan, "leaderboards:\n", "leaderboards:\n  - {id: weekly_calls, scorecard: weekly}\n", 1)
	if !strings.Contains(plan, "id: weekly\n") || !strings.Contains(plan, "weekly_calls") {
		t.Fatal("the sample plan has no bonuses or leaderboards to add a weekly board before")
	}
	dir := t.TempDir()
	planPath := filepath.Join(dir, "plan.yaml")
	if err := os.WriteFile(planPath, []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	draw := func(args ...string) (string, int, string) {
		out := filepath.Join(t.TempDir(), "board.svg")
		code, _, errs := runCLI(t, append([]string{"export", "-plan", planPath, "-events", exportEvents, "-as-of", exportAsOf, "-o", out}, args...)...)
		svg, _ := os.ReadFile(out)
		return string(svg), code, errs
	}
	// 20 March 2025 is a Thursday of ISO week 12.
	for _, c := range []struct {
		args  []string
		title string
	}{
		{nil, "weekly_calls, 2025-W12"},
		{[]string{"-period", "2025-W11"}, "weekly_calls, 2025-W11"},
		{[]string{"-period", "2025-03"}, "sales_total, 2025-03"},
		{[]string{"-period", "2025-03", "-leaderboard", "top_revenue"}, "top_revenue, 2025-03"},
	} {
		svg, code, errs := draw(c.args...)
		if code != 0 || !strings.Contains(svg, c.title) {
			t.Errorf("%q: exit %d, %s\n%.400s\nwant a chart titled %q", c.args, code, errs, svg, c.title)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-period", "2025-02"}, "the report has no leaderboard for 2025-02 (its leaderboards have 2025-W10, 2025-W11, 2025-W12, 2025-W13, 2025-W14 or 2025-03)"},
		{[]string{"-period", "2025-W11", "-leaderboard", "sales_total"}, `the report has no leaderboard "sales_total" for 2025-W11 (it has 2025-03)`},
	} {
		svg, code, errs := draw(c.args...)
		if code != 1 || !strings.Contains(errs, c.want) || svg != "" {
			t.Errorf("%q: exit %d, %s; want exit 1, no file and %q", c.args, code, errs, c.want)
		}
	}
}

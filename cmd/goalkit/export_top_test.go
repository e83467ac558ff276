package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportLeaderboardChartSaysItsTop: the chart of a board cut to its
// top says so in its title, as the workbook, the PDFs and the dashboard
// do ("top 2 shown"); a board whose top keeps every standing, and one
// without a top, say nothing.
func TestExportLeaderboardChartSaysItsTop(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	plan := write("plan.yaml", `timezone: UTC
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
scorecards:
  - id: sales
    grain: month
    kpis:
      - {indicator: won, target: 1, weight: 100, cap: 500}
leaderboards:
  - {id: cut, name: Best, scorecard: sales, metric: actual, kpi: won, top: 2}
  - {id: whole, name: Best, scorecard: sales, metric: actual, kpi: won, top: 5}
  - {id: all, name: Best, scorecard: sales, metric: actual, kpi: won}
`)
	events := write("events.ndjson", `{"id":"e1","kind":"deal.won","time":"2025-03-03T10:00:00Z","actor":"a"}
{"id":"e2","kind":"deal.won","time":"2025-03-04T10:00:00Z","actor":"b"}
{"id":"e3","kind":"deal.won","time":"2025-03-04T11:00:00Z","actor":"b"}
{"id":"e4","kind":"deal.won","time":"2025-03-05T10:00:00Z","actor":"c"}
`)
	for board, want := range map[string]bool{"cut": true, "whole": false, "all": false} {
		out := filepath.Join(dir, board+".svg")
		args := []string{"export", "-plan", plan, "-events", events, "-as-of", "2025-03-20T12:00:00Z", "-o", out, "-format", "svg", "-leaderboard", board}
		if code, _, errs := runCLI(t, args...); code != 0 {
			t.Fatalf("%q: exit %d: %s", args, code, errs)
		}
		svg, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(svg), "top 2 shown"); got != want {
			t.Errorf("board %s: says %q: %v, want %v:\n%.800s", board, "top 2 shown", got, want, svg)
		}
		if strings.Contains(string(svg), "top 5 shown") {
			t.Errorf("board %s: says top 5 shown of a board of three:\n%.800s", board, svg)
		}
	}
}

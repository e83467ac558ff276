package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportLeaderboardChartSaysItsTop: the chart of a board cut to its
// top, which left ranked standings out, says so in its title, as the
// workbook, the PDFs and the dashboard do ("top 1 shown": b of the three
// ranked, b 2 won, a and c 1 each); a board whose top keeps every
// standing, one whose tie at its top 2 keeps all three, one of exactly its
// top's three ranked (both of which said "top N shown", though no one was
// left out), and one without a top, say nothing.
func TestExportLeaderboardChartSaysItsTop(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		writeTestFile(t, path, text)
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
  - {id: cut, name: Best, scorecard: sales, metric: actual, kpi: won, top: 1}
  - {id: tie, name: Best, scorecard: sales, metric: actual, kpi: won, top: 2}
  - {id: exact, name: Best, scorecard: sales, metric: actual, kpi: won, top: 3}
  - {id: whole, name: Best, scorecard: sales, metric: actual, kpi: won, top: 5}
  - {id: all, name: Best, scorecard: sales, metric: actual, kpi: won}
`)
	events := write("events.ndjson", `{"id":"e1","kind":"deal.won","time":"2025-03-03T10:00:00Z","actor":"a"}
{"id":"e2","kind":"deal.won","time":"2025-03-04T10:00:00Z","actor":"b"}
{"id":"e3","kind":"deal.won","time":"2025-03-04T11:00:00Z","actor":"b"}
{"id":"e4","kind":"deal.won","time":"2025-03-05T10:00:00Z","actor":"c"}
`)
	for board, want := range map[string]string{"cut": "top 1 shown", "tie": "", "exact": "", "whole": "", "all": ""} {
		out := filepath.Join(dir, board+".svg")
		args := []string{"export", "-plan", plan, "-events", events, "-as-of", "2025-03-20T12:00:00Z", "-o", out, "-format", "svg", "-leaderboard", board}
		if code, _, errs := runCLI(t, args...); code != 0 {
			t.Fatalf("%q: exit %d: %s", args, code, errs)
		}
		svg, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(string(svg), " shown"); want == "" && got != 0 || want != "" && (got != 1 || !strings.Contains(string(svg), want)) {
			t.Errorf("board %s: says %d times \"shown\", want %q:\n%.800s", board, got, want, svg)
		}
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportChartTitleIsolatesNames: a chart's title "GOAL, PARTICIPANT,
// PERIOD" isolates the goal's and the participant's names (U+2068 …
// U+2069), as the dashboard's <bdi> does, so that a right-to-left name
// does not take the period after it into its run: an SVG's viewer drew
// "Deals per team, 2025-03 ,צפון" for north named צפון.
func TestExportChartTitleIsolatesNames(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../../examples/serve/directory.json")
	if err != nil {
		t.Fatal(err)
	}
	named := strings.Replace(string(src), `"name": "North"`, `"name": "צפון"`, 1)
	if named == string(src) {
		t.Fatal("the example directory has no unit named North")
	}
	directory, out := filepath.Join(dir, "directory.json"), filepath.Join(dir, "north.svg")
	if err := os.WriteFile(directory, []byte(named), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "export", "-plan", "../../examples/serve/plan.yaml", "-events", "../../examples/serve/events.ndjson",
		"-directory", directory, "-as-of", "2025-03-20T12:00:00Z", "-o", out, "-goal", "won_team", "-participant", "north")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	svg, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := ">\u2068Deals per team\u2069, \u2068צפון\u2069, 2025-03<"; !bytes.Contains(svg, []byte(want)) {
		t.Errorf("the chart's title is not %q:\n%.600s", want, svg)
	}
}

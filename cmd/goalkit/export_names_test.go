package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/internal/testenv"
)

// TestExportShowsUnitNames: with -directory, the documents and charts show
// a unit by its name in the directory (North, South), as the dashboard
// does, not by its id; users, who have no name there, keep their ids.
func TestExportShowsUnitNames(t *testing.T) {
	const plan, events, dir = "../../examples/serve/plan.yaml", "../../examples/serve/events.ndjson", "../../examples/serve/directory.json"
	export := func(name string, args ...string) []byte {
		t.Helper()
		out := filepath.Join(t.TempDir(), name)
		args = append([]string{"export", "-plan", plan, "-events", events, "-directory", dir, "-as-of", "2025-03-20T12:00:00Z", "-o", out}, args...)
		if code, _, errs := runCLI(t, args...); code != 0 {
			t.Fatalf("%q: exit %d: %s", args, code, errs)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	svg := export("teams.svg", "-leaderboard", "sales_teams")
	for _, s := range []string{". North<", ". South<"} {
		if !bytes.Contains(svg, []byte(s)) {
			t.Errorf("the leaderboard chart has no %q:\n%.600s", s, svg)
		}
	}
	if bytes.Contains(svg, []byte(". north<")) || bytes.Contains(svg, []byte(". south<")) {
		t.Errorf("the leaderboard chart shows a unit's id:\n%.600s", svg)
	}
	burn := export("north.svg", "-goal", "won_team", "-participant", "north")
	if !bytes.Contains(burn, []byte(", North, 2025-03<")) {
		t.Errorf("the burn-up chart is not titled by the unit's name:\n%.600s", burn)
	}

	pdftotext := testenv.Program(t, "pdftotext")
	text := func(pdf []byte) string {
		t.Helper()
		file := filepath.Join(t.TempDir(), "doc.pdf")
		if err := os.WriteFile(file, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(pdftotext, "-layout", file, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	goal := text(export("goal.pdf", "-goal", "won_team"))
	summary := text(export("summary.pdf"))
	for what, txt := range map[string]string{"the goal's report": goal, "the summary": summary} {
		for _, name := range []string{"North", "South"} {
			if !strings.Contains(txt, name) {
				t.Errorf("%s has no %s:\n%s", what, name, txt)
			}
		}
		for _, line := range strings.Split(txt, "\n") {
			if f := strings.Fields(line); len(f) > 0 && (f[0] == "north" || f[0] == "south") {
				t.Errorf("%s shows a unit by its id: %q", what, line)
			}
		}
	}
	// The users have no name in the directory: their ids stay.
	if !strings.Contains(summary, "n1") {
		t.Errorf("the summary lost the user n1:\n%s", summary)
	}
}

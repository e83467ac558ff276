package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/internal/testenv"
	"github.com/xuri/excelize/v2"
)

// TestExportDoesNotNameAPersonByTheirUnit: where a unit's id is also a
// user's (Bitrix24's department 1, "Company", and user 1), the user's
// standing is shown by the user's own name from the directory's users, not
// by the unit's name: the people leaderboard chart ranked "Company" with
// user 1's deals, and then showed user 1 by id, the directory's users
// unread; a user without a name keeps their id; and the unit keeps its
// name on the departments' board (its name was dropped, as shared with a
// user's id).
func TestExportDoesNotNameAPersonByTheirUnit(t *testing.T) {
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
  - {id: people, scorecard: sales, metric: actual, kpi: won}
  - {id: units, scorecard: sales, metric: actual, kpi: won, level: departments, departments: ["1", "2"]}
`)
	directory := write("directory.json", `{"units": [{"id": "1", "name": "Company"}, {"id": "2", "parent": "1", "name": "Sales"}],
 "memberships": [{"user": "1", "unit": "1"}, {"user": "7", "unit": "2"}],
 "users": [{"id": "1", "name": "Ivan Petrov", "active": true, "position": "CEO", "departments": ["1"]}, {"id": "7", "active": true}]}`)
	events := write("events.ndjson", `{"id":"e1","kind":"deal.won","time":"2025-03-03T10:00:00Z","actor":"1"}
{"id":"e2","kind":"deal.won","time":"2025-03-04T10:00:00Z","actor":"1"}
{"id":"e3","kind":"deal.won","time":"2025-03-05T10:00:00Z","actor":"7"}
`)
	out := filepath.Join(dir, "people.svg")
	args := []string{"export", "-plan", plan, "-events", events, "-directory", directory, "-as-of", "2025-03-20T12:00:00Z", "-o", out, "-format", "svg", "-leaderboard", "people"}
	if code, _, errs := runCLI(t, args...); code != 0 {
		t.Fatalf("%q: exit %d: %s", args, code, errs)
	}
	svg, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(svg, []byte("Company")) {
		t.Errorf("the people leaderboard names user 1 by department 1:\n%.800s", svg)
	}
	// By hand: user 1 won 2 deals, user 7 (no name) one.
	for _, s := range []string{">1. Ivan Petrov<", ">2. 7<"} {
		if !bytes.Contains(svg, []byte(s)) {
			t.Errorf("the people leaderboard has no %q:\n%.800s", s, svg)
		}
	}
	units := filepath.Join(dir, "units.svg")
	args = []string{"export", "-plan", plan, "-events", events, "-directory", directory, "-as-of", "2025-03-20T12:00:00Z", "-o", units, "-format", "svg", "-leaderboard", "units"}
	if code, _, errs := runCLI(t, args...); code != 0 {
		t.Fatalf("%q: exit %d: %s", args, code, errs)
	}
	if svg, err = os.ReadFile(units); err != nil {
		t.Fatal(err)
	}
	// By hand: department 1 has 3 deals of 2 people (1.5 a head), Sales 1 of 1.
	for _, s := range []string{">1. Company<", ">2. Sales<"} {
		if !bytes.Contains(svg, []byte(s)) {
			t.Errorf("the departments' leaderboard has no %q:\n%.1200s", s, svg)
		}
	}
	// The workbook names both, each by their own name, beside their ids.
	book := filepath.Join(dir, "report.xlsx")
	args = []string{"export", "-plan", plan, "-events", events, "-directory", directory, "-as-of", "2025-03-20T12:00:00Z", "-o", book}
	if code, _, errs := runCLI(t, args...); code != 0 {
		t.Fatalf("%q: exit %d: %s", args, code, errs)
	}
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Leaderboards")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range rows {
		got = append(got, strings.Join(row, "|"))
	}
	// By hand: the header, then the people's board (user 1 with 2 deals,
	// user 7 with 1), then the units' (department 1: 3 deals by 2 people,
	// Sales 1 by 1).
	want := []string{
		"leaderboard|period|rank|participant|value|headcount|name",
		"people|2025-03|1|1|2||Ivan Petrov",
		"people|2025-03|2|7|1||7",
		"units|2025-03|1|1|1.5|2|Company",
		"units|2025-03|2|2|1|1|Sales",
	}
	if !slices.Equal(got, want) {
		t.Errorf("the workbook's leaderboards:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The person's scorecard is titled by their name, not the unit's.
	pdftotext := testenv.Program(t, "pdftotext")
	doc := filepath.Join(dir, "one.pdf")
	args = []string{"export", "-plan", plan, "-events", events, "-directory", directory, "-as-of", "2025-03-20T12:00:00Z", "-o", doc, "-participant", "1"}
	if code, _, errs := runCLI(t, args...); code != 0 {
		t.Fatalf("%q: exit %d: %s", args, code, errs)
	}
	text, err := exec.Command(pdftotext, doc, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(text, []byte("Scorecard: Ivan Petrov, 2025-03")) || bytes.Contains(text, []byte("Company")) {
		t.Errorf("the scorecard of user 1 is not titled by their name:\n%s", text)
	}
}

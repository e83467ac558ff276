package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/internal/isodate/isodatetest"
)

// Every date the command line reads, from a flag or from a file it names,
// is checked: an impossible one stops the command with its place, never
// runs on a date it was moved to.
func TestImpossibleDates(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, d := range isodatetest.Impossible {
		t.Run(d.In, func(t *testing.T) {
			real := fmt.Sprintf("not a real date: %s", d.Why)
			plan := write("plan.yaml", "timezone: UTC\nindicators:\n  - {id: won, kinds: [deal.won], aggregate: count}\nreport:\n  grain: month\n  from: "+d.In+"\n  to: 2026-01-01\n")
			org := write("org.json", `{"units": [{"id": "north"}],`+"\n"+` "memberships": [{"user": "ann", "unit": "north", "from": "`+d.In+`"}]}`)
			events := write("events.ndjson", `{"id":"1","kind":"deal.won","time":"`+d.In+`T11:25:00+03:00","actor":"ann"}`+"\n")
			split := filepath.Join("testdata", "split.yaml")
			cases := []struct {
				args []string
				want string
			}{
				{[]string{"eval", "-plan", plan, "-events", quickEvents, "-as-of", asOf}, fmt.Sprintf("plan.yaml:6: report.from: %q is %s", d.In, real)},
				{[]string{"eval", "-plan", quickPlan, "-events", events, "-as-of", asOf}, fmt.Sprintf("events.ndjson:1: time: %q is %s", d.In+"T11:25:00+03:00", real)},
				{[]string{"eval", "-plan", split, "-events", quickEvents, "-as-of", asOf, "-directory", org}, fmt.Sprintf("org.json:2: memberships[0].from: %q is %s", d.In, real)},
				{[]string{"explain", "-plan", quickPlan, "-events", quickEvents, "-as-of", asOf, "-indicator", "won", "-period", d.In}, fmt.Sprintf("-period: label %q: %s", d.In, real)},
				{[]string{"split", "-plan", split, "-goal", "won_2025", "-by", "history", "-history", "2024", "-events", quickEvents, "-directory", org}, fmt.Sprintf("org.json:2: memberships[0].from: %q is %s", d.In, real)},
				{[]string{"split", "-plan", split, "-goal", "won_2025", "-by", "history", "-history", d.In, "-events", quickEvents}, fmt.Sprintf("goalkit split: -history: label %q: %s", d.In, real)},
				// -as-of is an RFC 3339 instant; time.Parse refuses the day.
				{[]string{"eval", "-plan", quickPlan, "-events", quickEvents, "-as-of", d.In + "T00:00:00Z"}, fmt.Sprintf("-as-of %q", d.In+"T00:00:00Z")},
				{[]string{"lint", "-plan", quickPlan, "-as-of", d.In + "T00:00:00Z"}, fmt.Sprintf("-as-of %q", d.In+"T00:00:00Z")},
			}
			for _, c := range cases {
				code, out, errs := runCLI(t, c.args...)
				if code == 0 || out != "" || !strings.Contains(errs, c.want) {
					t.Errorf("goalkit %s: exit %d, stdout %q, stderr:\n%s\nwant it to contain %q", strings.Join(c.args, " "), code, out, errs, c.want)
				}
			}
		})
	}
}

// A plan with nothing to split says so, rather than listing nothing.
func TestSplitWithoutGoals(t *testing.T) {
	code, _, errs := runCLI(t, "split", "-plan", quickPlanWithoutGoals(t), "-goal", "won", "-by", "even")
	want := "goalkit split: no cascade or goal \"won\": the plan has no cascades and no goals to split\n"
	if code == 0 || errs != want {
		t.Fatalf("exit %d, stderr %q, want %q", code, errs, want)
	}
}

func quickPlanWithoutGoals(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "plan.yaml")
	src := "timezone: UTC\nindicators:\n  - {id: won, kinds: [deal.won], aggregate: count}\nreport: {grain: month, from: 2025-01-01, to: 2025-02-01}\n"
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

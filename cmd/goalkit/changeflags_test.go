package main

import (
	"strings"
	"testing"
)

// A flag that only means something beside another is refused without it,
// rather than ignored: an explanation without -change-from that was asked
// to split a change by an attribute, or one of a change asked for a
// breakdown row, is not what the user asked for.
func TestExplainFlagsThatGoTogether(t *testing.T) {
	base := []string{"explain", "-plan", quickPlan, "-events", quickEvents, "-indicator", "won", "-period", "2025-03"}
	cases := []struct {
		extra []string
		want  string
	}{
		{[]string{"-change-by", "source"}, "goalkit explain: -change-by goes with -change-from"},
		{[]string{"-plan-vs-fact", "g", "-change-by", "source"}, "goalkit explain: -change-by goes with -change-from"},
		{[]string{"-change-from", "2025-02", "-by", "source=web"}, "goalkit explain: -by goes without -change-from and -plan-vs-fact"},
		{[]string{"-plan-vs-fact", "g", "-by", "source=web"}, "goalkit explain: -by goes without -change-from and -plan-vs-fact"},
		{[]string{"-plan-vs-fact", "g", "-change-from", "2025-02"}, "goalkit explain: -plan-vs-fact and -change-from exclude each other"},
	}
	for _, c := range cases {
		args := append(append([]string{}, base...), c.extra...)
		code, out, errs := runCLI(t, args...)
		if code != 2 || !strings.Contains(errs, c.want) || out != "" {
			t.Errorf("goalkit %s: exit %d, stdout %q, stderr:\n%s\nwant exit 2 and %q", strings.Join(c.extra, " "), code, out, errs, c.want)
		}
	}
}

// -goal-stats adds to the report what a CSV report cannot hold: with -format
// csv it is a mistake in the command line, as -explain-change is, told
// before the events are read.
func TestGoalStatsNeedsJSONOrTable(t *testing.T) {
	code, out, errs := runCLI(t, "eval", "-plan", quickPlan, "-events", quickEvents, "-format", "csv", "-goal-stats")
	const want = "goalkit eval: -goal-stats needs -format json or table (a CSV report holds only values)"
	if code != 2 || !strings.Contains(errs, want) || out != "" {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 2 and %q", code, out, errs, want)
	}
}

package main

import (
	"strings"
	"testing"
)

// TestSplitFlagsCompileError: what the compile of the split the flags ask
// for refuses is the command line's mistake (exit 2), said by its path in
// the split. The plan compiled without the flags; the split was compiled
// as the plan's first cascade and its problems were placed at that
// cascade's line (split.yaml:19, won_2025) whatever -goal named, exit 1.
func TestSplitFlagsCompileError(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-goal", "q1_revenue", "-by", "even", "-into", "members"},
			"goalkit split: the split of q1_revenue the flags ask for: root.split.into: into members needs a node with a unit"},
		{[]string{"-goal", "q1_revenue", "-by", "even", "-into", "fortnight"},
			`goalkit split: the split of q1_revenue the flags ask for: root.split.into: into must be units, members or a grain`},
	} {
		code, out, errs := runCLI(t, append([]string{"split", "-plan", "testdata/split.yaml"}, c.args...)...)
		if code != 2 || out != "" || !strings.Contains(errs, c.want) || strings.Contains(errs, "split.yaml") || strings.Contains(errs, "cascades[0]") {
			t.Errorf("%q: exit %d, stdout %q, stderr %s\nwant exit 2 and %s, naming no line of the plan", c.args, code, out, errs, c.want)
		}
	}
}

// TestSplitIssuePaths: an issue of the split names the plan's cascade by
// its own index, and a goal's split by the path within it; both said
// cascades[0], the place of the one split in the plan the command
// compiles, whatever cascade (here the second) or goal -goal named.
func TestSplitIssuePaths(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-plan", splitRulesPlan, "-directory", splitDirectory, "-goal", "by_capacity", "-by", "weights", "-weights", "north=1"}, "issue: cascades[1].root.split.weights: no weight for south"},
		{[]string{"-plan", "testdata/split.yaml", "-goal", "q1_revenue", "-by", "weights", "-weights", "2025-01=2,2025-02=1"}, "issue: root.split.weights: no weight for 2025-03"},
	} {
		code, out, errs := runCLI(t, append([]string{"split", "-as-of", "2025-01-01T00:00:00Z"}, c.args...)...)
		if code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("%q: exit %d, stderr %s\n%s\nwant a line %q", c.args, code, errs, out, c.want)
		}
	}
}

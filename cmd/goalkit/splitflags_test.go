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
			"goalkit split: the split of q1_revenue the flags ask for: split.into: into members needs a node with a unit"},
		{[]string{"-goal", "q1_revenue", "-by", "even", "-into", "fortnight"},
			`goalkit split: the split of q1_revenue the flags ask for: split.into: into must be units, members or a grain`},
	} {
		code, out, errs := runCLI(t, append([]string{"split", "-plan", "testdata/split.yaml"}, c.args...)...)
		if code != 2 || out != "" || !strings.Contains(errs, c.want) || strings.Contains(errs, "split.yaml") || strings.Contains(errs, "cascades[0]") {
			t.Errorf("%q: exit %d, stdout %q, stderr %s\nwant exit 2 and %s, naming no line of the plan", c.args, code, out, errs, c.want)
		}
	}
}

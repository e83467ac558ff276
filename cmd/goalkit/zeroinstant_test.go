package main

import (
	"strings"
	"testing"
)

// TestZeroInstantFlag: an instant flag given the zero time, written in any
// offset, is a mistake in the command line (exit 2, naming the flag); eval
// failed with the library's refusal (exit 1, "give the instant of the
// report (time.Now() for now)"), words for a Go program, not a flag.
func TestZeroInstantFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		flag string
	}{
		{[]string{"eval", "-plan", quickPlan, "-events", quickEvents, "-as-of", "0001-01-01T00:00:00Z"}, "-as-of"},
		{[]string{"eval", "-plan", quickPlan, "-events", quickEvents, "-as-of", "0001-01-01T03:00:00+03:00"}, "-as-of"},
		{[]string{"explain", "-plan", quickPlan, "-events", quickEvents, "-indicator", "won", "-period", "2025-03", "-as-of", "0001-01-01T00:00:00Z"}, "-as-of"},
		{[]string{"serve", "-plan", quickPlan, "-as-of", "0001-01-01T00:00:00Z"}, "-as-of"},
		{[]string{"notify", "-plan", quickPlan, "-events", quickEvents, "-channels", "deliver.yaml", "-since", "0001-01-01T00:00:00Z"}, "-since"},
	} {
		code, out, errs := runCLI(t, c.args...)
		if want := c.flag + ` "0001-01-01T`; code != 2 || out != "" || !strings.Contains(errs, want) || !strings.Contains(errs, "is the zero time") {
			t.Errorf("goalkit %s: exit %d, stdout %q, stderr %s\nwant exit 2 and %s… is the zero time", strings.Join(c.args, " "), code, out, errs, want)
		}
	}
}

package main

import (
	"strings"
	"testing"
)

// TestNoEventsNamesSource: a command that reads its events from -events
// or -source, given neither, says both; it said "-events is required" as
// if there were no other way. One without -source still names -events
// alone.
func TestNoEventsNamesSource(t *testing.T) {
	hook := newWebhookReceiver(t)
	cfg := hook.channels(t, t.TempDir(), "anna")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"eval", "-plan", quickPlan}, "goalkit eval: -events or -source is required\n"},
		{[]string{"export", "-plan", quickPlan, "-o", "report.xlsx"}, "goalkit export: -events or -source is required\n"},
		{[]string{"notify", "-plan", "testdata/notify-plan.yaml", "-channels", cfg, "-once"}, "goalkit notify: -events or -source is required\n"},
		{[]string{"explain", "-plan", quickPlan, "-indicator", "won", "-period", "2025-03"}, "goalkit explain: -events is required\n"},
		{[]string{"backtest", "-plan", quickPlan}, "goalkit backtest: -events is required\n"},
		{[]string{"suggest-targets", "-plan", quickPlan}, "goalkit suggest-targets: -events is required\n"},
	} {
		code, out, errs := runCLI(t, c.args...)
		if code != 2 || out != "" || !strings.HasPrefix(errs, c.want) {
			t.Errorf("goalkit %s: exit %d, stdout %q, stderr %q; want exit 2 and %q", strings.Join(c.args, " "), code, out, errs, c.want)
		}
	}
}

package main

import (
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
)

// TestNumericFlagsRefused: a count, a size or an interval that cannot be
// meant (a negative number of events, a body limit of -1 byte, a tick of
// no time) is a mistake in the command line, exit 2 naming the flag,
// never a default taken silently or a benchmark of -5 events.
func TestNumericFlagsRefused(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"bench", "-n", "-5"}, "goalkit bench: -n must be at least 1, got -5"},
		{[]string{"bench", "-n", "0"}, "goalkit bench: -n must be at least 1, got 0"},
		{[]string{"bench", "-n", "10", "-iters", "0"}, "goalkit bench: -iters must be at least 1, got 0"},
		{[]string{"bench", "-n", "10", "-iters", "-3"}, "goalkit bench: -iters must be at least 1, got -3"},
		{[]string{"bench", "-n", "10", "-track-cores", "0"}, "goalkit bench: -track-cores must be at least 1, got 0"},
		{[]string{"serve", "-plan", quickPlan, "-max-body", "-1"}, "goalkit serve: -max-body must be at least 1 byte, got -1"},
		{[]string{"serve", "-plan", quickPlan, "-max-body", "0"}, "goalkit serve: -max-body must be at least 1 byte, got 0"},
		{[]string{"serve", "-plan", quickPlan, "-tick", "0s"}, "goalkit serve: -tick must be at least 1s, got 0s"},
		{[]string{"serve", "-plan", quickPlan, "-tick", "-1m"}, "goalkit serve: -tick must be at least 1s, got -1m0s"},
		// A tick every millisecond would commit to the store back to back.
		{[]string{"serve", "-plan", quickPlan, "-tick", "1ms"}, "goalkit serve: -tick must be at least 1s, got 1ms"},
		{[]string{"serve", "-plan", quickPlan, "-snapshot-every", "-1m"}, "goalkit serve: -snapshot-every: -1m0s is negative (0: never)"},
		// A snapshot every millisecond would write every event version back to back.
		{[]string{"serve", "-plan", quickPlan, "-snapshot-every", "1ms"}, "goalkit serve: -snapshot-every must be 0 (never) or at least 1s, got 1ms"},
		{[]string{"worker", "-nats", "nats://127.0.0.1:1", "-plan", quickPlan, "-snapshot-every", "999ms"}, "goalkit worker: -snapshot-every must be 0 (never) or at least 1s, got 999ms"},
		{[]string{"check", "-plan", quickPlan, "-shrink-time", "-1s"}, "goalkit check: -shrink-time must be 0 or more (0: no shrinking), got -1s"},
		{[]string{"worker", "-nats", "nats://127.0.0.1:1", "-plan", quickPlan, "-batch", "0"}, "goalkit worker: -batch must be at least 1, got 0"},
		{[]string{"worker", "-nats", "nats://127.0.0.1:1", "-plan", quickPlan, "-batch", "-1"}, "goalkit worker: -batch must be at least 1, got -1"},
		{[]string{"worker", "-nats", "nats://127.0.0.1:1", "-plan", quickPlan, "-leases", "w1", "-max-partitions", "-1"}, "goalkit worker: -max-partitions must be at least 0 (0: no limit), got -1"},
		{[]string{"worker", "-nats", "nats://127.0.0.1:1", "-plan", quickPlan, "-max-partitions", "2"}, "goalkit worker: -max-partitions goes with -leases"},
		{[]string{"publish", "-nats", "nats://127.0.0.1:1", "-plan", quickPlan, "-events", quickEvents, "-stream-partitions", "-2"}, "goalkit publish: -stream-partitions must be at least 1 (0: the tenant's, else 3), got -2"},
		{[]string{"publish", "-nats", "nats://127.0.0.1:1", "-plan", quickPlan, "-events", quickEvents, "-replicas", "0"}, "goalkit publish: -replicas must be at least 1, got 0"},
		{[]string{"publish", "-nats", "nats://127.0.0.1:1", "-plan", quickPlan, "-events", quickEvents, "-lease-ttl", "0s"}, "goalkit publish: -lease-ttl must be positive, got 0s"},
		{[]string{"publish", "-nats", "nats://127.0.0.1:1", "-plan", quickPlan, "-events", quickEvents, "-lease-ttl", "-1s"}, "goalkit publish: -lease-ttl must be positive, got -1s"},
		{[]string{"explain", "-plan", quickPlan, "-events", quickEvents, "-indicator", "won", "-period", "2025-03", "-limit", "-1"},
			"goalkit explain: -limit must be at least 0, got -1"},
	}
	for _, c := range cases {
		code, out, errs := runCLI(t, c.args...)
		if code != 2 || !strings.Contains(errs, c.want) || out != "" {
			t.Errorf("goalkit %s: exit %d, stdout %q, stderr:\n%s\nwant exit 2 and %q", strings.Join(c.args, " "), code, out, errs, c.want)
		}
	}
}

// The command's intervals have Run's minimum, deliver.MinRunEvery, one
// constant: the command kept a copy of its own, which a change of either
// would have left behind. Just under it each is refused naming it.
func TestIntervalFlagsHaveRunsMinimum(t *testing.T) {
	under := (deliver.MinRunEvery - time.Millisecond).String()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "-plan", quickPlan, "-tick", under}, "-tick must be at least " + deliver.MinRunEvery.String() + ", got " + under},
		{[]string{"serve", "-plan", quickPlan, "-snapshot-every", under}, "-snapshot-every must be 0 (never) or at least " + deliver.MinRunEvery.String() + ", got " + under},
		{[]string{"notify", "-plan", "testdata/notify-plan.yaml", "-events", "testdata/notify-events.ndjson", "-channels", "testdata/none.yaml", "-every", under},
			"-every " + under + " is shorter than " + deliver.MinRunEvery.String() + ": "},
	} {
		code, _, errs := runCLI(t, c.args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("goalkit %s: exit %d, stderr:\n%s\nwant exit 2 and %q", strings.Join(c.args, " "), code, errs, c.want)
		}
	}
}

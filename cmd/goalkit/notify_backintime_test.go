package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A run of goalkit notify -once as of an instant before an earlier run's
// (a host that catches up on a past day, a clock stepped back between two
// runs) tells nothing that did not happen: no event changed, and anna's
// March goal, achieved by her deal of 20 March, stays achieved, as a
// live tracker's tick back in time tells nothing
// (TestTrackerTickBackInTimeRevokesNothing in the core module).
//
// Expected: the run as of 15 March routes nothing, and anna receives no
// achievement_revoked. Today the run's fresh tracker, whose ledger starts
// from the keys the outbox routed, judges the achievement at 15 March
// alone, before the deal that reached it, and anna is told her
// achievement was taken back.
func TestNotifyOnceBackInTimeRevokesNothing(t *testing.T) {
	hook := newWebhookReceiver(t)
	dir := t.TempDir()
	cfg := hook.channels(t, dir, "anna", "boris")
	events := filepath.Join("testdata", "notify-events.ndjson")
	run := func(asOf string) string { return notifyOnceAsOf(t, events, cfg, asOf) }
	run("2025-03-25T12:00:00+03:00")
	if got := hook.received(); !slices.Equal(got, notifyPlanDeliveries) {
		t.Fatalf("first run: received %v, want %v", got, notifyPlanDeliveries)
	}
	if out := run("2025-03-15T12:00:00+03:00"); !strings.HasPrefix(out, "routed 0 notifications") {
		t.Errorf("the run as of 15 March, after one as of 25 March: %s", out)
	}
	if got := hook.received(); !slices.Equal(got, notifyPlanDeliveries) {
		t.Errorf("received %v, want %v (nothing more)", got, notifyPlanDeliveries)
	}
}

// notifyOnceAsOf runs goalkit notify -once as of asOf over the events
// file and the channels file cfg, with testdata/notify-plan.yaml, and
// returns what it prints; it fails t when the run fails.
func notifyOnceAsOf(t *testing.T, events, cfg, asOf string) string {
	t.Helper()
	code, out, errs := runCLI(t, "notify", "-plan", "testdata/notify-plan.yaml", "-events", events, "-channels", cfg, "-once", "-as-of", asOf)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	return out
}

package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A machine whose clock reads the year 10000 (or before the year 0 in its
// zone) made every command without -as-of fail in the engine's words,
// naming an as-of instant the user never gave. The commands say it is the
// clock, and -as-of still works.
func TestClockOutsideTheYears(t *testing.T) {
	defer func(c func() time.Time) { clock = c }(clock)
	for _, now := range []time.Time{
		time.Date(10000, 1, 2, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("", -2*3600)), // 10000 in UTC
		time.Date(0, 1, 1, 1, 0, 0, 0, time.FixedZone("", 3*3600)),        // -0001 in UTC
	} {
		clock = func() time.Time { return now }
		want := "the clock reads " + now.Format(time.RFC3339) + ", outside the years 0000 to 9999 a report can be as of: set the machine's clock, or give -as-of"
		out := filepath.Join(t.TempDir(), "report.xlsx")
		code, _, errs := runCLI(t, "export", "-plan", exportPlan, "-events", exportEvents, "-o", out)
		if code == 0 || !strings.Contains(errs, want) {
			t.Errorf("export at %s: exit %d: %s, want %q", now.Format(time.RFC3339), code, errs, want)
		}
		if code, _, errs := runCLI(t, "eval", "-plan", quickPlan, "-events", quickEvents); code == 0 || !strings.Contains(errs, want) {
			t.Errorf("eval at %s: exit %d: %s, want %q", now.Format(time.RFC3339), code, errs, want)
		}
		if code, _, errs := runCLI(t, "export", "-plan", exportPlan, "-events", exportEvents, "-o", out, "-as-of", "2025-03-20T12:00:00Z"); code != 0 {
			t.Errorf("export -as-of at %s: exit %d: %s", now.Format(time.RFC3339), code, errs)
		}
	}
}

// A plan alone is linted whatever the clock reads: no rule reads the
// instant without events.
func TestLintWithoutEventsAnyClock(t *testing.T) {
	defer func(c func() time.Time) { clock = c }(clock)
	clock = func() time.Time { return time.Date(10000, 1, 2, 0, 0, 0, 0, time.UTC) }
	if code, _, errs := runCLI(t, "lint", "-plan", quickPlan); strings.Contains(errs, "clock") || strings.Contains(errs, "outside the years") {
		t.Errorf("lint at 10000: exit %d: %s", code, errs)
	}
}

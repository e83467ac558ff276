package main

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// goalkit notify without -once reads its own clock each cycle, and a
// reading the outbox cannot keep (past 2261, or before 1678: it keeps
// instants as int64 nanoseconds) failed each cycle in the engine's or the
// outbox's words, naming an as-of instant or a next attempt the user never
// gave, a message possibly sent before its attempt could be recorded. Each
// cycle says it is the clock and ticks and delivers nothing; the first
// cycle after the clock is set delivers everything.
func TestNotifyClockOutsideTheYears(t *testing.T) {
	for _, out := range []time.Time{
		time.Date(10000, 1, 2, 0, 0, 0, 0, time.UTC),
		time.Date(2300, 1, 2, 0, 0, 0, 0, time.UTC),
		time.Date(1600, 1, 2, 0, 0, 0, 0, time.UTC),
	} {
		hook := newWebhookReceiver(t)
		cfg := hook.channels(t, t.TempDir(), "anna", "boris")
		var reads atomic.Int32
		defer func(now func() time.Time) { notifyClock = now }(notifyClock)
		// The first cycle's reading is out of range; the next ones read
		// the day the -once tests tick at.
		notifyClock = func() time.Time {
			if reads.Add(1) == 1 {
				return out
			}
			return time.Date(2025, 3, 25, 12, 0, 0, 0, time.FixedZone("MSK", 3*3600))
		}
		// It runs until the receiver has everything (at most a minute):
		// a fixed window lost the second cycle on a busy machine.
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		var errs bytes.Buffer
		done := make(chan int)
		go func() {
			done <- run(ctx, []string{"notify", "-plan", "testdata/notify-plan.yaml", "-events", "testdata/notify-events.ndjson",
				"-channels", cfg, "-every", "1s"}, &errs, &errs)
		}()
		for ctx.Err() == nil && len(hook.received()) < len(notifyPlanDeliveries) {
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		code := <-done
		want := "goalkit notify: the clock reads " + out.Format(time.RFC3339) +
			", outside the years 1678 to 2261 in which the outbox keeps instants: set the machine's clock; this cycle ticked and delivered nothing\n"
		if code != 0 || errs.String() != want {
			t.Errorf("clock at %s: exit %d, stderr:\n%s\nwant:\n%s", out.Format(time.RFC3339), code, &errs, want)
		}
		if got := hook.received(); !slices.Equal(got, notifyPlanDeliveries) {
			t.Errorf("clock at %s, then set: received %v, want %v", out.Format(time.RFC3339), got, notifyPlanDeliveries)
		}
	}
}

// goalkit notify -once ticks at the commands' clock without -as-of, and
// delivers at its own: either out of the outbox's years is refused naming
// the clock, nothing sent.
func TestNotifyOnceClockOutsideTheYears(t *testing.T) {
	hook := newWebhookReceiver(t)
	cfg := hook.channels(t, t.TempDir(), "anna", "boris")
	out := time.Date(2300, 1, 2, 0, 0, 0, 0, time.UTC)
	defer func(c func() time.Time) { clock = c }(clock)
	clock = func() time.Time { return out }
	args := []string{"notify", "-plan", "testdata/notify-plan.yaml", "-events", "testdata/notify-events.ndjson", "-channels", cfg, "-once"}
	code, _, errs := runCLI(t, args...)
	if want := "the clock reads 2300-01-02T00:00:00Z, outside the years 1678 to 2261 in which the outbox keeps instants: set the machine's clock, or give -as-of; nothing was ticked or delivered"; code != 1 || !strings.Contains(errs, want) {
		t.Errorf("-once at 2300: exit %d, %s, want %q", code, errs, want)
	}
	defer func(now func() time.Time) { notifyClock = now }(notifyClock)
	notifyClock = func() time.Time { return out }
	code, _, errs = runCLI(t, append(args, "-as-of", "2025-03-25T12:00:00+03:00")...)
	if want := "the clock reads 2300-01-02T00:00:00Z, outside the years 1678 to 2261 in which the outbox keeps instants: set the machine's clock; nothing was delivered"; code != 1 || !strings.Contains(errs, want) {
		t.Errorf("-once -as-of with the delivery's clock at 2300: exit %d, %s, want %q", code, errs, want)
	}
	if got := hook.received(); len(got) != 0 {
		t.Errorf("sent %v with the clock at 2300", got)
	}
}

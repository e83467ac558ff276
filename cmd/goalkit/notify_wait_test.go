package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// goalkit notify, running, keeps a channel's wait across its cycles: a
// receiver that answers 429 asking for an hour is asked once, not once a
// cycle. Each cycle's fresh dispatcher forgot the wait, so every -every
// one more message was sent into the limit.
func TestNotifyKeepsAChannelsWaitAcrossCycles(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	t.Cleanup(srv.Close)
	cfg := hookChannels(t, t.TempDir(), srv.URL, "{user: anna, channels: [hook]}", "{user: boris, channels: [hook]}")
	// Cycles at 0 s, 1 s and 2 s; the three notifications are due at the
	// first.
	notifyFor(t, cfg, 2500*time.Millisecond)
	if n := requests.Load(); n != 1 {
		t.Errorf("the receiver was asked %d times in three cycles, want once: it asked to wait an hour", n)
	}
}

// goalkit notify, running, ticks at the latest instant it ticked when its
// clock goes back (a correction after a bad reading), as a dispatcher
// does: the digest of a day before the one it routed does not come after
// it. Each cycle's fresh dispatcher ticked at the earlier instant and
// routed the earlier day's digest late.
func TestNotifyTicksNoEarlierThanItTicked(t *testing.T) {
	hook := newWebhookReceiver(t)
	cfg := hookChannels(t, t.TempDir(), hook.url, `{user: anna, timezone: Europe/Moscow, daily: "09:00", channels: [hook]}`)
	msk := time.FixedZone("MSK", 3*3600)
	var reads atomic.Int32
	defer func(now func() time.Time) { notifyClock = now }(notifyClock)
	// The first cycle's tick and delivery read 11 March, 10:00 in
	// Moscow; the clock then reads 9 March.
	notifyClock = func() time.Time {
		if reads.Add(1) <= 2 {
			return time.Date(2025, 3, 11, 10, 0, 0, 0, msk)
		}
		return time.Date(2025, 3, 9, 10, 0, 0, 0, msk)
	}
	// Until the third cycle reads the clock: the second has ended (a
	// fixed window of 1.5 s missed the second cycle on a loaded machine).
	notifyUntil(t, cfg, func() bool { return reads.Load() >= 5 }, 30*time.Second)
	if reads.Load() < 4 {
		t.Fatalf("%d readings of the clock: the second cycle did not run", reads.Load())
	}
	var digests []string
	for _, got := range hook.received() {
		if strings.Contains(got, "digest_daily/") {
			digests = append(digests, got)
		}
	}
	if want := []string{"anna digest_daily/anna/2025-03-11"}; !slices.Equal(digests, want) {
		t.Errorf("digests %v, want %v", digests, want)
	}
}

// notifyFor runs goalkit notify over the notify plan and events with the
// channels file, a cycle a second, for the duration, and fails t unless
// it exits 0.
func notifyFor(t *testing.T, cfg string, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), d)
	defer cancel()
	notifyRun(t, ctx, cfg)
}

// notifyUntil runs goalkit notify as notifyFor does until done reports
// true (looked at every 10 ms) or max has passed.
func notifyUntil(t *testing.T, cfg string, done func() bool, max time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), max)
	defer cancel()
	go func() {
		for !done() && ctx.Err() == nil {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
	}()
	notifyRun(t, ctx, cfg)
}

func notifyRun(t *testing.T, ctx context.Context, cfg string) {
	t.Helper()
	if code := run(ctx, []string{"notify", "-plan", "testdata/notify-plan.yaml", "-events", "testdata/notify-events.ndjson",
		"-channels", cfg, "-every", "1s"}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

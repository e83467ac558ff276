package deliver_test

import (
	"context"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

// setup is a tracker of the test plan with every sales event applied, and
// a dispatcher to the webhook receiver.
func setup(t *testing.T, url string, extra ...deliver.Option) (*deliver.Dispatcher, *deliver.SQLiteOutbox) {
	return setupWith(t, webhookConfig(url), extra...)
}

func setupWith(t *testing.T, config string, extra ...deliver.Option) (*deliver.Dispatcher, *deliver.SQLiteOutbox) {
	t.Helper()
	plan := goalkittest.CompilePlan(t, testPlan)
	cfg := parseConfig(t, config)
	chans := openChannels(t, cfg, deliver.ChannelOptions{Env: env(map[string]string{"HOOK_SECRET": testSecret})})
	tr := track(t, plan, salesEvents()...)
	ob := openOutbox(t, t.TempDir())
	d, err := deliver.New(plan, tr, cfg, ob, chans, append([]deliver.Option{deliver.WithDirectory(directory(t)), deliver.WithRand(func() float64 { return 0.5 })}, extra...)...)
	if err != nil {
		t.Fatal(err)
	}
	return d, ob
}

// The receiver is down (503, then unreachable answers) for two hours:
// attempts back off (1m, 2m, 4m… with the jitter at its middle) and
// everything arrives once it is back, nothing dead.
func TestNoLossAfterOutage(t *testing.T) {
	ctx := context.Background()
	rcv := newReceiver(t)
	d, ob := setupWith(t, strings.Replace(webhookConfig(rcv.srv.URL), "attempts: 5", "attempts: 10", 1))
	start := march(29, 18)
	if _, err := d.Tick(ctx, start); err != nil {
		t.Fatal(err)
	}
	rcv.setFail(func(int) int { return http.StatusServiceUnavailable })
	now := start
	for now.Before(start.Add(2 * time.Hour)) {
		res, err := d.Deliver(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		if res.Sent != 0 || res.Dead != 0 {
			t.Fatalf("at %v during the outage: %+v", now, res)
		}
		now = now.Add(time.Minute)
	}
	pending, _ := ob.Entries(ctx, deliver.Pending)
	if len(pending) != 9 {
		t.Fatalf("%d pending after the outage, want 9", len(pending))
	}
	// The n-th failure waits 1m·2^(n-1), at most 1h, of which the jitter
	// (fixed at its middle here) takes a quarter off; Deliver runs every
	// minute.
	want, at := 0, 0.0
	for n := 1; at < 120; n++ {
		want++
		at = math.Ceil(at + 0.75*math.Min(math.Pow(2, float64(n-1)), 60))
	}
	for _, e := range pending {
		if e.Attempts != want || e.LastError != "webhook: the receiver answered 503" {
			t.Errorf("%s: %d attempts, last error %q", e.Message.Key, e.Attempts, e.LastError)
		}
	}
	rcv.setFail(nil)
	for i := 0; i < 120 && len(rcv.keys()) < 9; i++ {
		if _, err := d.Deliver(ctx, now); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Minute)
	}
	if got := rcv.keys(); len(got) != 9 {
		t.Errorf("after the outage %d messages arrived, want 9:\n%v", len(got), got)
	}
	if dead, _ := ob.Entries(ctx, deliver.Dead); len(dead) != 0 {
		t.Errorf("%d dead letters", len(dead))
	}
}

// After the configured number of failed attempts a message is a dead
// letter with the last error; a permanent error makes it one at once;
// Requeue sends it again.
func TestDeadLetters(t *testing.T) {
	ctx := context.Background()
	rcv := newReceiver(t)
	d, ob := setup(t, rcv.srv.URL)
	now := march(29, 18)
	if _, err := d.Tick(ctx, now); err != nil {
		t.Fatal(err)
	}
	rcv.setFail(func(int) int { return http.StatusBadGateway })
	for range 30 {
		if _, err := d.Deliver(ctx, now); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Hour)
	}
	dead, _ := ob.Entries(ctx, deliver.Dead)
	if len(dead) != 9 {
		t.Fatalf("%d dead letters, want 9", len(dead))
	}
	for _, e := range dead {
		if e.Attempts != 5 || e.LastError != "5 attempts failed, the last: webhook: the receiver answered 502" {
			t.Errorf("%s: %d attempts, %q", e.Message.Key, e.Attempts, e.LastError)
		}
	}
	if n, _ := rcv.counts(); n != 45 {
		t.Errorf("%d requests, want 9 × 5", n)
	}

	// 400: permanent, dead after one attempt.
	rcv2 := newReceiver(t)
	rcv2.setFail(func(int) int { return http.StatusBadRequest })
	d2, ob2 := setup(t, rcv2.srv.URL)
	now = march(29, 18)
	d2.Tick(ctx, now)
	if res, err := d2.Deliver(ctx, now); err != nil || res.Dead != 9 {
		t.Fatalf("400: %+v %v", res, err)
	}
	if n, _ := rcv2.counts(); n != 9 {
		t.Fatalf("400: %d requests, want 9", n)
	}

	// Requeued, they arrive.
	rcv2.setFail(nil)
	dead2, _ := ob2.Entries(ctx, deliver.Dead)
	for _, e := range dead2 {
		if err := ob2.Requeue(ctx, e.Message.ID, now); err != nil {
			t.Fatal(err)
		}
	}
	if res, err := d2.Deliver(ctx, now); err != nil || res.Sent != 9 {
		t.Fatalf("requeued: %+v %v", res, err)
	}
	if got := rcv2.keys(); len(got) != 9 {
		t.Errorf("%d arrived", len(got))
	}
}

// Notifications that a tracker committed to its ledger but that were never
// routed (the process stopped between the two) are routed by the next tick
// of a dispatcher; those in the ledger before delivery was first set up
// are adopted, not sent.
func TestLedgerNotificationsAreRouted(t *testing.T) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(t, testPlan)
	rcv := newReceiver(t)
	cfg := parseConfig(t, webhookConfig(rcv.srv.URL))
	chans, _ := cfg.OpenChannels(deliver.ChannelOptions{Env: env(map[string]string{"HOOK_SECRET": testSecret})})
	store := memory.NewTrackStore()
	tr, err := plan.Track(ctx, store)
	if err != nil {
		t.Fatal(err)
	}
	tr.Apply(ctx, salesEvents()...)
	// Before delivery existed: the milestones of the 5th and the 12th.
	if _, err := tr.Tick(ctx, march(12, 18)); err != nil {
		t.Fatal(err)
	}
	ob := openOutbox(t, t.TempDir())
	d, _ := deliver.New(plan, tr, cfg, ob, chans, deliver.WithDirectory(directory(t)))
	if _, err := d.Tick(ctx, march(12, 19)); err != nil {
		t.Fatal(err)
	}
	// A tick whose notifications reach the ledger, then the process stops.
	if ns, err := tr.Tick(ctx, march(20, 18)); err != nil || len(ns) != 1 {
		t.Fatalf("tick: %v %v", ns, err)
	}
	tr.Close()
	tr, err = plan.Track(ctx, store)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	d, _ = deliver.New(plan, tr, cfg, ob, chans, deliver.WithDirectory(directory(t)))
	if res, err := d.Tick(ctx, march(20, 19)); err != nil || res.Notifications != 1 {
		t.Fatalf("restarted tick: %+v %v", res, err)
	}
	d.Deliver(ctx, march(20, 19))
	want := []string{"anna achieved/sales/anna/2025-03/", "olga achieved/sales/anna/2025-03/", "root achieved/sales/anna/2025-03/"}
	sameLines(t, "received", rcv.keys(), want)
}

package deliver_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

func webhookConfig(url string) string {
	return `
retry: {attempts: 5, base: 1m, max: 1h}
channels:
  - {name: hook, type: webhook, url: "` + url + `", secret_env: HOOK_SECRET}
recipients:
  - {user: anna, language: ru, timezone: Europe/Moscow, channels: [hook]}
  - {user: boris, channels: [hook]}
  - {user: olga, channels: [hook]}
  - {user: root, admin: true, channels: [hook], kinds: [achieved]}
`
}

// Each recipient gets the notifications of the rows they may see: anna and
// boris their own, olga (head of their unit) both, the admin only the kind
// it asked for; each once, whatever the number of ticks.
func TestDispatcherRoutesByVisibility(t *testing.T) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(t, testPlan)
	rcv := newReceiver(t)
	cfg := parseConfig(t, webhookConfig(rcv.srv.URL))
	chans := openChannels(t, cfg, deliver.ChannelOptions{Env: env(map[string]string{"HOOK_SECRET": testSecret})})
	tr := track(t, plan)
	d, err := deliver.New(plan, tr, cfg, openOutbox(t, t.TempDir()), chans, deliver.WithDirectory(directory(t)))
	if err != nil {
		t.Fatal(err)
	}
	for _, day := range []int{5, 12, 20, 29, 30} {
		for _, e := range salesEvents() {
			if e.Time.Day() == day {
				if err := tr.Apply(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
		}
		for range 2 {
			if _, err := d.Tick(ctx, march(day, 18)); err != nil {
				t.Fatal(err)
			}
			if _, err := d.Deliver(ctx, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := append(slices.Clone(salesKeys), "root achieved/sales/anna/2025-03/")
	sameLines(t, "received", rcv.keys(), want)
	if n, bad := rcv.counts(); n != len(want) || bad != 0 {
		t.Errorf("%d requests (%d badly signed), want %d", n, bad, len(want))
	}
}

// A zero instant (a host's time.Time left unset) is refused by the
// dispatcher's own calls, naming the call and its argument, before the
// first tick adopts anything. Tick's error named the tracker's Tick, after
// the ledger was adopted; Deliver at the zero time sent nothing and said
// nothing.
func TestDispatcherRefusesZeroInstant(t *testing.T) {
	ctx := context.Background()
	rcv := newReceiver(t)
	d, ob := setup(t, rcv.srv.URL)
	const tail = " is the zero time (0001-01-01 00:00 UTC), not an instant: give the instant to deliver at (time.Now() for now)"
	if _, err := d.Tick(ctx, time.Time{}); err == nil || err.Error() != "deliver: Dispatcher.Tick: asOf"+tail {
		t.Errorf("Tick: %v", err)
	}
	if _, err := d.Deliver(ctx, time.Time{}); err == nil || err.Error() != "deliver: Dispatcher.Deliver: now"+tail {
		t.Errorf("Deliver: %v", err)
	}
	var routed []string
	if err := ob.RoutedKeys(ctx, func(key string, _ time.Time) error { routed = append(routed, key); return nil }); err != nil || len(routed) != 0 {
		t.Errorf("routed after the refused tick: %v %v", routed, err)
	}
	if res, err := d.Tick(ctx, march(29, 18)); err != nil || res.Messages != 9 {
		t.Fatalf("tick: %+v %v", res, err)
	}
}

// An instant outside the years 1678 to 2261 (a clock set far off) is
// refused by Tick and Deliver, naming it, before anything is adopted or
// ticked. A tick at 2300 adopted the ledger and moved the tracker there,
// then failed in the outbox's words about a message's "created" instant
// (at 10000 in the tracker's, "Tracker.Tick: asOf …"), and Deliver at such
// an instant said nothing.
func TestDispatcherRefusesInstantOutsideTheYears(t *testing.T) {
	ctx := context.Background()
	rcv := newReceiver(t)
	d, ob := setup(t, rcv.srv.URL)
	for _, at := range []time.Time{
		time.Date(2300, 1, 2, 0, 0, 0, 0, time.UTC),
		time.Date(1600, 1, 2, 0, 0, 0, 0, time.UTC),
		time.Date(10000, 1, 2, 0, 0, 0, 0, time.UTC),
	} {
		tail := " " + at.Format(time.RFC3339) + " is outside the years 1678 to 2261 in which the outbox keeps instants: give one inside them (a clock that reads so is set wrong)"
		if _, err := d.Tick(ctx, at); err == nil || err.Error() != "deliver: Dispatcher.Tick: asOf"+tail {
			t.Errorf("Tick at %s: %v", at, err)
		}
		if _, err := d.Deliver(ctx, at); err == nil || err.Error() != "deliver: Dispatcher.Deliver: now"+tail {
			t.Errorf("Deliver at %s: %v", at, err)
		}
	}
	var routed []string
	if err := ob.RoutedKeys(ctx, func(key string, _ time.Time) error { routed = append(routed, key); return nil }); err != nil || len(routed) != 0 {
		t.Errorf("routed after the refused ticks: %v %v", routed, err)
	}
	if res, err := d.Tick(ctx, march(29, 18)); err != nil || res.Messages != 9 {
		t.Fatalf("tick at the corrected clock: %+v %v", res, err)
	}
}

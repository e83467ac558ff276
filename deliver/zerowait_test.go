package deliver_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

// A retry whose wait is zero (a base of 1ns: the backoff is half of it,
// rounded down, plus no jitter) waits for the next Deliver call: under a
// clock that stands still, a failed message was due again at once and
// tried again within the same call until its attempts were spent and it
// was dead. Each call now tries each message at most once.
func TestDeliverTriesAMessageOncePerCall(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	tries := map[string]int{}
	ob := openOutbox(t, t.TempDir())
	d, now := zeroWaitDispatcher(t, ob, deliver.ChannelFunc(func(_ context.Context, m deliver.Message) error {
		mu.Lock()
		defer mu.Unlock()
		tries[m.ID]++
		return deliver.NotDelivered(errors.New("busy"))
	}))
	due, err := ob.Due(ctx, now, 1000)
	if err != nil || len(due) == 0 {
		t.Fatalf("%d due: %v", len(due), err)
	}
	for call := 1; call <= 3; call++ {
		res, err := d.Deliver(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		// The third call spends the last attempt: every message dies.
		want := deliver.DeliverResult{Failed: len(due)}
		if call == 3 {
			want = deliver.DeliverResult{Dead: len(due)}
		}
		if res != want {
			t.Errorf("call %d: %+v, want %+v", call, res, want)
		}
		for _, e := range due {
			if tries[e.Message.ID] != call {
				t.Errorf("call %d: %s tried %d times, want %d", call, e.Message.Key, tries[e.Message.ID], call)
			}
		}
	}
}

// A channel that fails itself with a retry whose wait is zero rests for
// the call, and the call counts as rested the messages it did not attempt,
// not the failed one due again at once: the same over an outbox that reads
// by channel (which counts the rested channel's due messages) as over a
// host's that does not.
func TestDeliverRestedLeavesOutTheFailedOneDueAgain(t *testing.T) {
	ctx := context.Background()
	for _, byChannel := range []bool{true, false} {
		ob := openOutbox(t, t.TempDir())
		var host deliver.Outbox = ob
		if !byChannel {
			host = plainOutbox{ob}
		}
		d, now := zeroWaitDispatcher(t, host, deliver.ChannelFunc(func(context.Context, deliver.Message) error {
			return deliver.ChannelFault(errors.New("login refused"))
		}))
		due, err := ob.Due(ctx, now, 1000)
		if err != nil || len(due) < 2 {
			t.Fatalf("%d due: %v", len(due), err)
		}
		res, err := d.Deliver(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		if want := (deliver.DeliverResult{Failed: 1, Rested: len(due) - 1}); res != want {
			t.Errorf("by channel %v: %+v, want %+v", byChannel, res, want)
		}
	}
}

// zeroWaitDispatcher is a dispatcher over the outbox whose one channel, x,
// retries after a wait of zero (a base of 1ns, no jitter) under a clock
// that stands still, ticked at its instant, which it returns.
func zeroWaitDispatcher(t *testing.T, ob deliver.Outbox, x deliver.Channel) (*deliver.Dispatcher, time.Time) {
	t.Helper()
	cfg := parseConfig(t, `
retry: {attempts: 3, base: 1ns, max: 1ns}
channels:
  - {name: x, type: webhook, url: "http://127.0.0.1:1/", secret_env: HOOK_SECRET}
recipients:
  - {user: anna, channels: [x]}
`)
	plan := goalkittest.CompilePlan(t, testPlan)
	now := march(29, 18)
	d, err := deliver.New(plan, track(t, plan, salesEvents()...), cfg, ob, map[string]deliver.Channel{"x": x},
		deliver.WithDirectory(directory(t)), deliver.WithRand(func() float64 { return 0 }),
		deliver.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Tick(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	return d, now
}

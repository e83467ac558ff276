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
	cfg := parseConfig(t, `
retry: {attempts: 3, base: 1ns, max: 1ns}
channels:
  - {name: x, type: webhook, url: "http://127.0.0.1:1/", secret_env: HOOK_SECRET}
recipients:
  - {user: anna, channels: [x]}
`)
	var mu sync.Mutex
	tries := map[string]int{}
	chans := map[string]deliver.Channel{"x": deliver.ChannelFunc(func(_ context.Context, m deliver.Message) error {
		mu.Lock()
		defer mu.Unlock()
		tries[m.ID]++
		return deliver.NotDelivered(errors.New("busy"))
	})}
	plan := goalkittest.CompilePlan(t, testPlan)
	ob := openOutbox(t, t.TempDir())
	now := march(29, 18)
	d, err := deliver.New(plan, track(t, plan, salesEvents()...), cfg, ob, chans,
		deliver.WithDirectory(directory(t)), deliver.WithRand(func() float64 { return 0 }),
		deliver.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Tick(ctx, now); err != nil {
		t.Fatal(err)
	}
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

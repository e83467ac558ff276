package deliver_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goalkittest"
)

// A receiver's 429 that asks for an hour (Retry-After: 3600) rests its
// channel for that hour across Deliver calls, not for the call only: the
// next call a minute later sent the channel's next message into the same
// limit. Once the hour has passed one message probes the channel again. A
// clock that went back before the 429 does not make the rest longer: the
// channel is tried.
func TestDeliverRestsAChannelForTheWaitItAsked(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	requests, limited := 0, true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		requests++
		if limited {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	count := func() int { mu.Lock(); defer mu.Unlock(); return requests }
	cfg := parseConfig(t, `
retry: {attempts: 10, base: 1m, max: 2h}
channels:
  - {name: x, type: webhook, url: "`+srv.URL+`", secret_env: HOOK_SECRET}
recipients:
  - {user: anna, channels: [x]}
`)
	chans := openChannels(t, cfg, deliver.ChannelOptions{Env: env(map[string]string{"HOOK_SECRET": testSecret})})
	plan := goalkittest.CompilePlan(t, testPlan)
	ob := openOutbox(t, t.TempDir())
	t0 := march(29, 18)
	var now time.Time
	d, err := deliver.New(plan, track(t, plan, salesEvents()...), cfg, ob, chans,
		deliver.WithDirectory(directory(t)), deliver.WithRand(func() float64 { return 0 }),
		deliver.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Tick(ctx, t0.Add(-10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	due, err := ob.Due(ctx, t0, 1000)
	if err != nil || len(due) < 2 {
		t.Fatalf("%d due, want 2 or more: %v", len(due), err)
	}
	deliverAt := func(at time.Time, want deliver.DeliverResult, wantRequests int) {
		t.Helper()
		now = at
		res, err := d.Deliver(ctx, at)
		if err != nil {
			t.Fatal(err)
		}
		if res != want || count() != wantRequests {
			t.Errorf("at %v: %+v and %d requests, want %+v and %d", at.Sub(t0), res, count(), want, wantRequests)
		}
	}
	// The first message meets the limit; the others rest.
	deliverAt(t0, deliver.DeliverResult{Failed: 1, Rested: len(due) - 1}, 1)
	// A minute and 59 minutes later the channel still rests.
	deliverAt(t0.Add(time.Minute), deliver.DeliverResult{Rested: len(due) - 1}, 1)
	deliverAt(t0.Add(59*time.Minute), deliver.DeliverResult{Rested: len(due) - 1}, 1)
	// The clock went back before the 429: the rest is no longer than
	// asked, so the channel is tried with one message.
	deliverAt(t0.Add(-time.Minute), deliver.DeliverResult{Failed: 1, Rested: len(due) - 2}, 2)
	// An hour after that 429, the limit lifted: everything is sent.
	mu.Lock()
	limited = false
	mu.Unlock()
	deliverAt(t0.Add(time.Hour+time.Second), deliver.DeliverResult{Sent: len(due)}, 2+len(due))
}

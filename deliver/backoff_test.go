package deliver_test

import (
	"context"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
)

// The n-th wait is base·2^(n-1), capped at max, of which the jitter r takes
// off up to half: r = 0 waits half of it, r → 1 all of it.
func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		n    int
		r    float64
		want time.Duration
	}{
		{1, 0, 15 * time.Second},
		{1, 0.5, 22500 * time.Millisecond},
		{1, 0.999999, 29999985 * time.Microsecond},
		{2, 0, 30 * time.Second},
		{4, 0, 2 * time.Minute},
		{7, 0, 16 * time.Minute},
		{8, 0, 30 * time.Minute},   // 30s·2^7 = 64m, capped at 1h
		{8, 0.5, 45 * time.Minute}, // the cap with the jitter at its middle
		{100, 0, 30 * time.Minute},
		// A host's jitter out of [0, 1] is held to it: -1 waited nothing
		// (the message was due again at once, and retried in the same
		// delivery until its attempts ran out), 7 four times the cap.
		{1, -1, 15 * time.Second},
		{1, math.NaN(), 15 * time.Second},
		{1, math.Inf(-1), 15 * time.Second},
		{1, 1, 30 * time.Second},
		{1, 7, 30 * time.Second},
		{8, 7, time.Hour},
		{8, math.Inf(1), time.Hour},
	} {
		if got := deliver.Backoff(tc.n, 30*time.Second, time.Hour, tc.r); got != tc.want {
			t.Errorf("Backoff(%d, r=%v) = %v, want %v", tc.n, tc.r, got, tc.want)
		}
	}
}

// A host's jitter source that gives -1 or NaN does not take the backoff
// away: a failed message waits at least half of it (base 1m: 30s) before
// it is due again. It was due again at the next delivery, whatever the
// attempt.
func TestBackoffHostJitter(t *testing.T) {
	ctx := context.Background()
	for _, r := range []float64{-1, math.NaN()} {
		rcv := newReceiver(t)
		rcv.setFail(func(int) int { return http.StatusServiceUnavailable })
		d, ob := setup(t, rcv.srv.URL, deliver.WithRand(func() float64 { return r }))
		now := march(29, 18)
		if _, err := d.Tick(ctx, now); err != nil {
			t.Fatal(err)
		}
		if res, err := d.Deliver(ctx, now); err != nil || res != (deliver.DeliverResult{Failed: 9}) {
			t.Fatalf("r %v: %+v %v", r, res, err)
		}
		pending, err := ob.Entries(ctx, deliver.Pending)
		if err != nil || len(pending) != 9 {
			t.Fatalf("r %v: %d pending, %v", r, len(pending), err)
		}
		for _, e := range pending {
			if e.Next.Before(now.Add(30 * time.Second)) {
				t.Errorf("r %v: %s due again at %v, %v after the attempt", r, e.Message.Key, e.Next, e.Next.Sub(now))
			}
		}
	}
}

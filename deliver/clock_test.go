package deliver_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
)

// stepClock is a clock that moves only when told to.
type stepClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *stepClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.at
}

func (c *stepClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = c.at.Add(d)
}

// In a Deliver call whose attempts are slow, each attempt is stamped with
// the instant it ended, the call's instant plus the time the dispatcher's
// clock says has passed since the call began: a message sent an hour into
// the run is sent an hour after the call's instant, and a failed one is
// due again a backoff after its own attempt, not after the call began.
func TestDeliverStampsEachAttemptWithTheClock(t *testing.T) {
	ctx := context.Background()
	for _, failing := range []bool{false, true} {
		clk := &stepClock{at: time.Date(2031, 7, 1, 0, 0, 0, 0, time.UTC)} // its own reading is not used
		rcv := newReceiver(t)
		// Each request takes ten minutes.
		rcv.setFail(func(int) int {
			clk.add(10 * time.Minute)
			if failing {
				return http.StatusServiceUnavailable
			}
			return 0
		})
		d, ob := setup(t, rcv.srv.URL, deliver.WithClock(clk.now))
		now := march(29, 18)
		if _, err := d.Tick(ctx, now); err != nil {
			t.Fatal(err)
		}
		res, err := d.Deliver(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		state, after := deliver.Sent, time.Duration(0)
		if failing {
			state, after = deliver.Pending, deliver.Backoff(1, time.Minute, time.Hour, 0.5)
		}
		es, err := ob.Entries(ctx, state)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 9 || res.Sent+res.Failed != 9 {
			t.Fatalf("failing %v: %+v, %d %s", failing, res, len(es), state)
		}
		var got, want []time.Time
		for k, e := range es {
			at := e.SentAt
			if failing {
				at = e.Next
			}
			got = append(got, at.UTC())
			want = append(want, now.Add(time.Duration(k+1)*10*time.Minute+after).UTC())
		}
		slices.SortFunc(got, time.Time.Compare)
		if !slices.EqualFunc(got, want, time.Time.Equal) {
			t.Errorf("failing %v: stamped\n%v\nwant\n%v", failing, got, want)
		}
	}
}

// A Deliver call a second before the end of 2261, the last year whose
// instants it takes, whose attempts take a second each: the stamps that
// would pass into 2262 (the sent-at of the later messages; the next try of
// a failed one, a backoff of 150 days past the end of what the outbox
// keeps) are held at the last instant of 2261, and every message is
// attempted. The next try was stamped as it came: the outbox refused it,
// and the call failed at the first message, and every later one again.
func TestDeliverStampsHeldAtTheEndOf2261(t *testing.T) {
	ctx := context.Background()
	last := time.Date(2261, 12, 31, 23, 59, 59, 999999999, time.UTC)
	for _, failing := range []bool{false, true} {
		clk := &stepClock{at: time.Date(2031, 7, 1, 0, 0, 0, 0, time.UTC)}
		rcv := newReceiver(t)
		rcv.setFail(func(int) int {
			clk.add(time.Second)
			if failing {
				return http.StatusServiceUnavailable
			}
			return 0
		})
		config := strings.Replace(webhookConfig(rcv.srv.URL), "base: 1m, max: 1h", "base: 4800h, max: 4800h", 1)
		d, ob := setupWith(t, config, deliver.WithClock(clk.now))
		if _, err := d.Tick(ctx, march(29, 18)); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2261, 12, 31, 23, 59, 59, 0, time.UTC)
		res, err := d.Deliver(ctx, now)
		if err != nil {
			t.Fatalf("failing %v: %v", failing, err)
		}
		state := deliver.Sent
		if failing {
			state = deliver.Pending
		}
		es, err := ob.Entries(ctx, state)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 9 || res.Sent+res.Failed != 9 {
			t.Fatalf("failing %v: %+v, %d %s", failing, res, len(es), state)
		}
		var got []time.Time
		for _, e := range es {
			at := e.SentAt
			if failing {
				at = e.Next
			}
			got = append(got, at.UTC())
		}
		slices.SortFunc(got, time.Time.Compare)
		// The first attempt ends at the last second's end, past 2261 by a
		// nanosecond, as do all the later ones; a retry, 3600 h later.
		want := slices.Repeat([]time.Time{last}, 9)
		if !slices.EqualFunc(got, want, time.Time.Equal) {
			t.Errorf("failing %v: stamped\n%v\nwant\n%v", failing, got, want)
		}
	}
}

package deliver_test

import (
	"context"
	"net/http"
	"slices"
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

package bitrix24_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/fakeb24"
)

// A backoff whose cap is the longest duration there is doubles until the
// client's longest wait and stays there, however many retries: each wait
// is at least the one before. The doubling ran past the largest duration
// and wrapped round to a negative one, so from the 34th retry of a call
// the client came back at once, again and again, into the portal's limit.
func TestBackoffNoWrap(t *testing.T) {
	t.Parallel()
	const retries = 40
	srv := newServer(t)
	faults := make([]fakeb24.Fault, retries)
	for i := range faults {
		faults[i] = fakeb24.ErrorFault("error.QUERY_LIMIT_EXCEEDED.503.json")
	}
	srv.Inject("im.notify.personal.add", faults...)
	c, clk := newClient(t, srv, bitrix24.WithRetries(retries), bitrix24.WithMinInterval(0),
		bitrix24.WithBackoff(time.Second, time.Duration(math.MaxInt64)))
	if err := c.NotifyUser(context.Background(), "1", "hello"); err != nil {
		t.Fatal(err)
	}
	slept := clk.Slept()
	if len(slept) != retries {
		t.Fatalf("%d waits for %d retries: %v", len(slept), retries, slept)
	}
	// Reference: 1 s doubled at each retry, held at ten minutes.
	want := time.Second
	for i, d := range slept {
		if d != want {
			t.Errorf("retry %d waited %s, want %s", i+1, d, want)
		}
		want = min(2*want, 10*time.Minute)
	}
}

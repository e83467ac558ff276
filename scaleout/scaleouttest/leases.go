package scaleouttest

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/scaleout"
)

// Crashing are leases whose holder never gives them back, as a worker that
// died does not.
type Crashing struct{ scaleout.Leases }

// Give does nothing.
func (Crashing) Give(context.Context, int, string) error { return nil }

// WaitHeld waits, up to timeout, until holder holds the leases of
// partitions 0 to n-1 (Keep succeeds only for the holder), and fails after
// it; a timeout of 0 checks once.
func WaitHeld(t testing.TB, l scaleout.Leases, holder string, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		held := 0
		for p := range n {
			if l.Keep(context.Background(), p, holder) == nil {
				held++
			}
		}
		if held == n {
			return
		}
		if !time.Now().Before(deadline) {
			t.Fatalf("%s holds %d of %d leases", holder, held, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

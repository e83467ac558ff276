package scaleouttest_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
)

// WaitHeld waits for a holder to take every lease, and fails once its time
// is up with how many it holds; Crashing's holder keeps a lease it gives.
func TestWaitHeldAndCrashing(t *testing.T) {
	ctx := context.Background()
	l := &scaleout.MemoryLeases{TTL: time.Minute}
	take := func(p int, holder string) {
		if ok, err := l.Take(ctx, p, holder); !ok || err != nil {
			t.Errorf("Take(%d, %s): %v, %v", p, holder, ok, err)
		}
	}
	take(0, "a")
	if msg := fails(func(tb testing.TB) { scaleouttest.WaitHeld(tb, l, "a", 2, 0) }); msg != "a holds 1 of 2 leases" {
		t.Fatalf("one lease of two, checked once: %q", msg)
	}
	go func() {
		time.Sleep(100 * time.Millisecond)
		take(1, "a")
	}()
	start := time.Now()
	if msg := fails(func(tb testing.TB) { scaleouttest.WaitHeld(tb, l, "a", 2, 30*time.Second) }); msg != "" {
		t.Fatalf("the second lease taken while waiting: %s", msg)
	}
	if waited := time.Since(start); waited < 100*time.Millisecond {
		t.Fatalf("held after %s, before the second lease was taken", waited)
	}
	start = time.Now()
	if msg := fails(func(tb testing.TB) { scaleouttest.WaitHeld(tb, l, "b", 2, 200*time.Millisecond) }); msg != "b holds 0 of 2 leases" {
		t.Fatalf("another holder's leases: %q", msg)
	}
	if waited := time.Since(start); waited < 200*time.Millisecond {
		t.Fatalf("failed after %s, before its time was up", waited)
	}

	if err := (scaleouttest.Crashing{Leases: l}).Give(ctx, 0, "a"); err != nil {
		t.Fatal(err)
	}
	if msg := fails(func(tb testing.TB) { scaleouttest.WaitHeld(tb, l, "a", 2, 0) }); msg != "" {
		t.Fatalf("after a crashing holder gave a lease: %s", msg)
	}
	if err := l.Give(ctx, 0, "a"); err != nil {
		t.Fatal(err)
	}
	if msg := fails(func(tb testing.TB) { scaleouttest.WaitHeld(tb, l, "a", 2, 0) }); msg != "a holds 1 of 2 leases" {
		t.Fatalf("after the holder gave a lease: %q", msg)
	}
}

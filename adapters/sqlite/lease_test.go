package sqlite

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// TestLeaseLengths checks that a lease of any length SetLease takes
// works: a non-positive one is DefaultLease, a tiny one is renewed without
// a panic, and one too long for int64 nanoseconds never ends. SetLease(0)
// and any lease under 3 ns crashed the process (the renewal's ticker of a
// third of it panicked in its goroutine), and a lease of more than about
// 236 years wrapped its end into the past, so a second tracker took the
// store at once beside the first.
func TestLeaseLengths(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		lease time.Duration
		held  bool          // a second tracker is refused at once
		end   time.Duration // the lease's end, after now, within a minute
	}{
		{0, true, 30 * time.Second},
		{-time.Hour, true, 30 * time.Second},
		{time.Nanosecond, false, 0},
		{time.Hour, true, time.Hour},
		{math.MaxInt64, true, -1}, // the end of int64 nanoseconds
	} {
		s := open(t)
		first, err := s.TrackStore()
		if err != nil {
			t.Fatal(err)
		}
		first.SetLease(c.lease)
		before := time.Now()
		unlock, err := first.Lock(ctx)
		if err != nil {
			t.Fatalf("lease %v: %v", c.lease, err)
		}
		var expires int64
		if err := s.DB().QueryRowContext(ctx, `SELECT expires_ns FROM goalkit_track_lease`).Scan(&expires); err != nil {
			t.Fatal(err)
		}
		switch want := before.Add(c.end).UnixNano(); {
		case c.end < 0 && expires != math.MaxInt64:
			t.Errorf("lease %v: ends at %d ns, want %d", c.lease, expires, int64(math.MaxInt64))
		case c.end >= 0 && (expires < want || expires > want+int64(time.Minute)):
			t.Errorf("lease %v: ends %v after it began, want %v", c.lease, time.Duration(expires-before.UnixNano()), c.end)
		}
		if c.held {
			second, err := s.TrackStore()
			if err != nil {
				t.Fatal(err)
			}
			if unlock2, err := second.Lock(ctx); !errors.Is(err, kpi.ErrStoreInUse) {
				if err == nil {
					unlock2()
				}
				t.Errorf("lease %v: a second tracker's lock: %v, want kpi.ErrStoreInUse", c.lease, err)
			}
		}
		time.Sleep(5 * time.Millisecond) // renewals of the tiny lease
		if err := unlock(); err != nil {
			t.Errorf("lease %v: unlock: %v", c.lease, err)
		}
	}
}

package scaleout_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
)

// Follow calls caught once, even over partitions without records and a
// log without partitions, and goes on until ctx is done, returning ctx's
// error.
func TestFollowCaughtOnceThenUntilDone(t *testing.T) {
	for _, n := range []int{0, 1, 3} {
		t.Run(fmt.Sprint(n, " partitions"), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var caught atomic.Int32
			done := make(chan error, 1)
			go func() {
				done <- scaleout.Follow(ctx, scaleout.NewMemoryLog(n), func(context.Context, []kpi.Event) error {
					return errors.New("no events to apply")
				}, func() { caught.Add(1) })
			}()
			deadline := time.Now().Add(10 * time.Second)
			for caught.Load() == 0 && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			select {
			case err := <-done:
				t.Fatalf("Follow returned before ctx was done: %v", err)
			case <-time.After(50 * time.Millisecond):
			}
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Fatalf("Follow: %v", err)
			}
			if c := caught.Load(); c != 1 {
				t.Fatalf("caught called %d times", c)
			}
		})
	}
}

// An apply that fails stops Follow with its error, naming the partition
// and the offsets of the records applied.
func TestFollowApplyFailureNamed(t *testing.T) {
	ctx := context.Background()
	_, _, ev := wonPlan(t)
	log := scaleout.NewMemoryLog(1)
	if err := scaleout.Publish(ctx, log, "b", time.Time{}, []kpi.Event{ev("1", "anna", 1, 1), ev("2", "anna", 2, 1), ev("3", "anna", 3, 1)}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := scaleout.Follow(ctx, log, func(context.Context, []kpi.Event) error { return boom }, func() {})
	if !errors.Is(err, boom) || err.Error() != "partition 0: offsets 1 to 3: boom" {
		t.Fatalf("err = %v", err)
	}
}

// A nil caught is no call: Follow follows the log all the same. It called
// the nil func, and panicked, once the partitions were read.
func TestFollowNilCaught(t *testing.T) {
	_, _, ev := wonPlan(t)
	for _, n := range []int{0, 2} {
		log := scaleout.NewMemoryLog(n)
		if n > 0 {
			if err := scaleout.Publish(context.Background(), log, "b", time.Time{}, []kpi.Event{ev("1", "anna", 1, 1)}); err != nil {
				t.Fatal(err)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		var applied atomic.Int32
		err := scaleout.Follow(ctx, log, func(_ context.Context, evs []kpi.Event) error {
			applied.Add(int32(len(evs)))
			return nil
		}, nil)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) || applied.Load() != int32(min(n, 1)) {
			t.Fatalf("%d partitions: %v, %d applied", n, err, applied.Load())
		}
	}
}

package postgres

import (
	"context"
	"testing"
	"time"
)

// TestUnlockWaitsNoLongerThanTheLease checks that releasing a track store's
// lease (Tracker.Close) does not wait on a database that does not answer
// for longer than the lease, which then expires by itself: another
// transaction holds the lease's row, as a database cut off would hold the
// renewal. The renewal and the release waited without a bound, so Close
// hung until the row was let go (here after 20 seconds).
func TestUnlockWaitsNoLongerThanTheLease(t *testing.T) {
	ctx := context.Background()
	s := open(t)
	ts, err := s.TrackStore()
	if err != nil {
		t.Fatal(err)
	}
	ts.SetLease(time.Second)
	unlock, err := ts.Lock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `SELECT 1 FROM goalkit_track_lease FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	release := time.AfterFunc(20*time.Second, func() { tx.Rollback() })
	defer func() {
		if release.Stop() {
			tx.Rollback()
		}
	}()
	time.Sleep(700 * time.Millisecond) // a renewal waits on the row
	start := time.Now()
	err = unlock()
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("unlock took %v with the lease's row held (the lease is 1s), error %v", took, err)
	}
	if err == nil {
		t.Error("unlock of a lease it could not release: no error")
	}
}

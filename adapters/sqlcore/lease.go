package sqlcore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// DefaultLease is how long a tracker's lease on a TrackStore lasts without
// renewal: the holder renews it every third of it, so a crashed tracker's
// store is free again after at most this long.
const DefaultLease = 30 * time.Second

var _ kpi.TrackLocker = (*TrackStore)(nil)

// SetLease sets the lease that Lock takes (DefaultLease unless set, or
// when d is not positive); call it before Lock. A lease that would end
// past what int64 nanoseconds hold (the year 2262) ends there.
func (t *TrackStore) SetLease(d time.Duration) { t.lease = d }

// leaseLength is the lease Lock takes.
func (t *TrackStore) leaseLength() time.Duration {
	if t.lease <= 0 {
		return DefaultLease
	}
	return t.lease
}

// leaseEnd is the end of a lease of d taken at now, in Unix nanoseconds,
// saturated at the largest int64: a lease too long for them never ends,
// where now.Add(d).UnixNano() would wrap into the past and free the store.
func leaseEnd(now time.Time, d time.Duration) int64 {
	n := now.UnixNano()
	if n > math.MaxInt64-int64(d) {
		return math.MaxInt64
	}
	return n + int64(d)
}

// Lock implements kpi.TrackLocker with a lease row in goalkit_track_lease:
// its holder, since when, and until when. A live lease of another holder is
// an error matching kpi.ErrStoreInUse, such as
//
//	sqlcore: store is in use by another tracker (since 2026-12-04T20:10:00Z; its lease expires at 2026-12-04T20:10:30Z unless renewed)
//
// An expired lease (its holder crashed) is taken over. The holder renews the
// lease in the background until unlock deletes it, and every Commit checks
// in its transaction that the lease is still this value's, so a tracker
// whose lease was lost (a pause longer than the lease) fails instead of
// writing beside its successor. The renewal and unlock wait on the
// database no longer than the lease (a second at least): a database that
// does not answer makes unlock fail after it (the lease then expires by
// itself) rather than hang.
// Instants come from this process's clock.
func (t *TrackStore) Lock(ctx context.Context) (func() error, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("sqlcore: lock: %w", err)
	}
	token := hex.EncodeToString(b[:])
	s, d := t.s, t.s.d
	lease := t.leaseLength()
	err := func() (err error) {
		tx, err := s.beginWrite(ctx, "lock", trackLock)
		if err != nil {
			return err
		}
		defer func() {
			if err != nil {
				_ = tx.Rollback()
			}
		}()
		now := time.Now()
		var holder string
		var since, expires int64
		err = tx.QueryRowContext(ctx, `SELECT holder, since_ns, expires_ns FROM goalkit_track_lease WHERE id = 1`).Scan(&holder, &since, &expires)
		switch {
		case err == sql.ErrNoRows:
		case err != nil:
			return s.ctxErr(ctx, "lock", err)
		case expires > now.UnixNano():
			return fmt.Errorf("sqlcore: %w (since %s; its lease expires at %s unless renewed)", kpi.ErrStoreInUse,
				time.Unix(0, since).UTC().Format(time.RFC3339), time.Unix(0, expires).UTC().Format(time.RFC3339))
		}
		q := `INSERT INTO goalkit_track_lease (id, holder, since_ns, expires_ns) VALUES (1, ` + d.placeholder(1) + `, ` + d.placeholder(2) + `, ` + d.placeholder(3) +
			`) ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, since_ns = excluded.since_ns, expires_ns = excluded.expires_ns`
		if _, err := tx.ExecContext(ctx, q, token, now.UnixNano(), leaseEnd(now, lease)); err != nil {
			return s.ctxErr(ctx, "lock", err)
		}
		return tx.Commit()
	}()
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	t.holder = token
	t.mu.Unlock()
	// The renewal and the release wait on the database no longer than the
	// lease (a second at least): past it the lease has expired, and a
	// database that does not answer (cut off, or a row held by another
	// transaction) does not hold Tracker.Close.
	wait := max(lease, time.Second)
	renewing, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Every third of the lease, but not more often than every
		// millisecond.
		tick := time.NewTicker(max(lease/3, time.Millisecond))
		defer tick.Stop()
		renew := `UPDATE goalkit_track_lease SET expires_ns = ` + d.placeholder(1) + ` WHERE id = 1 AND holder = ` + d.placeholder(2)
		for {
			select {
			case <-renewing.Done():
				return
			case <-tick.C:
				// A failed renewal shows at the next Commit.
				rctx, cancel := context.WithTimeout(renewing, wait)
				_, _ = s.db.ExecContext(rctx, renew, leaseEnd(time.Now(), lease), token)
				cancel()
			}
		}
	}()
	var once bool
	return func() error {
		t.mu.Lock()
		if once {
			t.mu.Unlock()
			return nil
		}
		once = true
		t.holder = ""
		t.mu.Unlock()
		stop()
		<-done
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		if _, err := s.db.ExecContext(ctx, `DELETE FROM goalkit_track_lease WHERE id = 1 AND holder = `+d.placeholder(1), token); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("sqlcore: unlock: the database did not release the lease within %s; it expires by itself: %w", wait, err)
			}
			return fmt.Errorf("sqlcore: unlock: %w", err)
		}
		return nil
	}, nil
}

// beginHeld begins a write transaction for op (a commit, a snapshot) under
// the advisory lock key (PostgreSQL), and refuses it while another
// holder's lease is live, or when this value's lease was lost.
func (t *TrackStore) beginHeld(ctx context.Context, op string, key int64) (*sql.Tx, error) {
	tx, err := t.s.beginWrite(ctx, op, key)
	if err != nil {
		return nil, err
	}
	if err := t.checkLease(ctx, tx, op); err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	return tx, nil
}

func (t *TrackStore) checkLease(ctx context.Context, tx *sql.Tx, op string) error {
	t.mu.Lock()
	mine := t.holder
	t.mu.Unlock()
	var holder string
	var since, expires int64
	err := tx.QueryRowContext(ctx, `SELECT holder, since_ns, expires_ns FROM goalkit_track_lease WHERE id = 1`).Scan(&holder, &since, &expires)
	switch {
	case err == sql.ErrNoRows:
		if mine != "" {
			return fmt.Errorf("sqlcore: %s: the tracker's lease on the store was lost", op)
		}
		return nil
	case err != nil:
		return t.s.ctxErr(ctx, op, err)
	case holder == mine:
		return nil
	case mine != "":
		return fmt.Errorf("sqlcore: %s: the tracker's lease on the store was lost: %w (since %s)", op, kpi.ErrStoreInUse, time.Unix(0, since).UTC().Format(time.RFC3339))
	case expires > time.Now().UnixNano():
		return fmt.Errorf("sqlcore: %s: %w (since %s)", op, kpi.ErrStoreInUse, time.Unix(0, since).UTC().Format(time.RFC3339))
	}
	return nil
}

package sqlcore

import (
	"context"
	"database/sql"
	"fmt"
)

// Prune deletes the event versions and the closed records of the batches
// that the latest snapshot covers, and returns how many batches it pruned
// (0 when there is no snapshot, or nothing new to prune). Nothing is pruned
// unless a host calls it.
//
// It is safe because the snapshot holds what they held: every version the
// tracker applied, dead ones included, with the instant each became known,
// so a tracker restored from it still answers AsKnownAt for any instant.
// But from then on the snapshot is the only copy of those versions: a
// snapshot that cannot be read (a corrupted row, a tracker of a later
// release that refuses an earlier format) cannot be replaced by a replay.
// Keep the batches if disk allows.
//
// After Prune, Load starts at the first batch after the pruned ones (a
// reader that replays Load alone, without the snapshot, sees a partial
// history), LoadAfter and SaveSnapshot refuse an n below the pruned count,
// and the batches' numbers and ledger keys stay: a key of a pruned batch is
// still refused with kpi.ErrDuplicateKey.
func (t *TrackStore) Prune(ctx context.Context) (pruned int64, err error) {
	s, d := t.s, t.s.d
	tx, err := t.beginHeld(ctx, "prune", snapshotLock)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil || pruned == 0 {
			_ = tx.Rollback()
		}
	}()
	var n, seq int64
	switch err := tx.QueryRowContext(ctx, `SELECT batches, seq FROM goalkit_track_snapshots ORDER BY id DESC LIMIT 1`).Scan(&n, &seq); {
	case err == sql.ErrNoRows:
		return 0, nil
	case err != nil:
		return 0, s.ctxErr(ctx, "prune", err)
	}
	had, hadSeq, err := t.pruned(ctx, tx, "prune")
	if err != nil {
		return 0, err
	}
	if n <= had {
		return 0, nil
	}
	for _, table := range []string{"goalkit_track_events", "goalkit_track_closed"} {
		q := `DELETE FROM ` + table + ` WHERE seq > ` + d.placeholder(1) + ` AND seq <= ` + d.placeholder(2)
		if _, err := tx.ExecContext(ctx, q, hadSeq, seq); err != nil {
			return 0, s.ctxErr(ctx, "prune", err)
		}
	}
	up := `INSERT INTO goalkit_track_pruned (id, batches, seq) VALUES (1, ` + d.placeholder(1) + `, ` + d.placeholder(2) +
		`) ON CONFLICT (id) DO UPDATE SET batches = excluded.batches, seq = excluded.seq`
	if _, err := tx.ExecContext(ctx, up, n, seq); err != nil {
		return 0, s.ctxErr(ctx, "prune", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, s.ctxErr(ctx, "prune", err)
	}
	return n - had, nil
}

// pruned returns how many batches were pruned, and the seq of the last of
// them (0, 0: none).
func (t *TrackStore) pruned(ctx context.Context, tx *sql.Tx, op string) (n, seq int64, err error) {
	switch err := tx.QueryRowContext(ctx, `SELECT batches, seq FROM goalkit_track_pruned WHERE id = 1`).Scan(&n, &seq); {
	case err == sql.ErrNoRows:
		return 0, 0, nil
	case err != nil:
		return 0, 0, t.s.ctxErr(ctx, op, err)
	}
	return n, seq, nil
}

// notPruned refuses n batches when more were pruned.
func notPruned(op string, n, pruned int64) error {
	if n < pruned {
		return fmt.Errorf("sqlcore: %s: %d batches, but the first %d were pruned (their events are only in the snapshot)", op, n, pruned)
	}
	return nil
}

package sqlcore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// SnapshotChunk is the most bytes of a snapshot one row of
// goalkit_track_snapshot_chunks holds. A snapshot is written and read a
// chunk at a time, so neither side holds more than a chunk of it in memory,
// and a snapshot of any size stays within both databases' limits on one
// value (1 GB).
const SnapshotChunk = 8 << 20

var _ kpi.TrackSnapshotter = (*TrackStore)(nil)

// SaveSnapshot implements kpi.TrackSnapshotter. It writes the snapshot in
// one transaction: its row with the number of batches it covers and the seq
// of the last of them, then its bytes in chunks of SnapshotChunk as write
// produces them, then it deletes the previous snapshots. If write, the
// database or ctx fails, the transaction is rolled back and the previous
// snapshot stays the latest. n must not exceed the committed batches.
//
// In SQLite the transaction holds the database's write lock while write
// runs, so commits wait for the snapshot (up to the busy timeout); in
// PostgreSQL commits go on, and snapshots are serialized with each other.
// A holder that lost its lease (see Lock) fails, as Commit does.
func (t *TrackStore) SaveSnapshot(ctx context.Context, n int64, write func(w io.Writer) error) (err error) {
	if n < 0 {
		return fmt.Errorf("sqlcore: save snapshot: %d batches", n)
	}
	s, d := t.s, t.s.d
	tx, err := t.beginHeld(ctx, "save snapshot", snapshotLock)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if pruned, _, err := t.pruned(ctx, tx, "save snapshot"); err != nil {
		return err
	} else if err := notPruned("save snapshot", n, pruned); err != nil {
		return err
	}
	seq, err := t.nthSeq(ctx, tx, "save snapshot", n)
	if err != nil {
		return err
	}
	var id int64
	ins := `INSERT INTO goalkit_track_snapshots (batches, seq, size, chunks, saved_ns) VALUES (` +
		d.placeholder(1) + `, ` + d.placeholder(2) + `, 0, 0, ` + d.placeholder(3) + `) RETURNING id`
	if err := tx.QueryRowContext(ctx, ins, n, seq, time.Now().UnixNano()).Scan(&id); err != nil {
		return s.ctxErr(ctx, "save snapshot", err)
	}
	st, err := tx.PrepareContext(ctx, `INSERT INTO goalkit_track_snapshot_chunks (snapshot, pos, data) VALUES (`+
		d.placeholder(1)+`, `+d.placeholder(2)+`, `+d.placeholder(3)+`)`)
	if err != nil {
		return s.ctxErr(ctx, "save snapshot", err)
	}
	w := &chunkWriter{ctx: ctx, st: st, id: id}
	if err := write(w); err != nil {
		if w.err != nil && errors.Is(err, w.err) {
			return s.ctxErr(ctx, "save snapshot", err)
		}
		return fmt.Errorf("sqlcore: save snapshot: %w", err)
	}
	if err := w.flush(); err != nil {
		return s.ctxErr(ctx, "save snapshot", err)
	}
	upd := `UPDATE goalkit_track_snapshots SET size = ` + d.placeholder(1) + `, chunks = ` + d.placeholder(2) + ` WHERE id = ` + d.placeholder(3)
	if _, err := tx.ExecContext(ctx, upd, w.size, w.pos, id); err != nil {
		return s.ctxErr(ctx, "save snapshot", err)
	}
	for _, del := range []string{
		`DELETE FROM goalkit_track_snapshot_chunks WHERE snapshot <> ` + d.placeholder(1),
		`DELETE FROM goalkit_track_snapshots WHERE id <> ` + d.placeholder(1),
	} {
		if _, err := tx.ExecContext(ctx, del, id); err != nil {
			return s.ctxErr(ctx, "save snapshot", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return s.ctxErr(ctx, "save snapshot", err)
	}
	return nil
}

// nthSeq returns the seq of the n-th committed batch (0 for n = 0): seqs
// increase in commit order but may skip numbers (PostgreSQL's sequence
// skips those of rolled-back commits).
func (t *TrackStore) nthSeq(ctx context.Context, tx *sql.Tx, op string, n int64) (int64, error) {
	if n == 0 {
		return 0, nil
	}
	var seq int64
	q := `SELECT seq FROM goalkit_track_batches ORDER BY seq LIMIT 1 OFFSET ` + t.s.d.placeholder(1)
	switch err := tx.QueryRowContext(ctx, q, n-1).Scan(&seq); {
	case err == sql.ErrNoRows:
		var have int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM goalkit_track_batches`).Scan(&have); err != nil {
			return 0, t.s.ctxErr(ctx, op, err)
		}
		return 0, fmt.Errorf("sqlcore: %s: %d batches, but the store holds %d", op, n, have)
	case err != nil:
		return 0, t.s.ctxErr(ctx, op, err)
	}
	return seq, nil
}

// chunkWriter inserts what is written to it as chunks of SnapshotChunk
// bytes, the last one shorter.
type chunkWriter struct {
	ctx  context.Context
	st   *sql.Stmt
	id   int64
	buf  []byte
	pos  int   // chunks inserted
	size int64 // bytes written
	err  error // the first failed insert: every later Write returns it
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if w.buf == nil {
		w.buf = make([]byte, 0, SnapshotChunk)
	}
	done := 0
	for len(p) > 0 {
		k := copy(w.buf[len(w.buf):cap(w.buf)], p)
		w.buf = w.buf[:len(w.buf)+k]
		p = p[k:]
		done += k
		w.size += int64(k)
		if len(w.buf) == cap(w.buf) {
			if err := w.flush(); err != nil {
				return done, err
			}
		}
	}
	return done, nil
}

// flush inserts the buffered bytes as the next chunk, if there are any.
func (w *chunkWriter) flush() error {
	if w.err != nil {
		return w.err
	}
	if len(w.buf) == 0 {
		return nil
	}
	if _, err := w.st.ExecContext(w.ctx, w.id, w.pos, w.buf); err != nil {
		w.err = err
		return err
	}
	w.pos++
	w.buf = w.buf[:0]
	return nil
}

// LoadSnapshot implements kpi.TrackSnapshotter. It reads the latest
// snapshot in one read transaction, a chunk at a time as read consumes it;
// a snapshot whose chunks do not add up to the size it was saved with is an
// error (io.ErrUnexpectedEOF) on read.
func (t *TrackStore) LoadSnapshot(ctx context.Context, read func(n int64, r io.Reader) error) (found bool, err error) {
	s, d := t.s, t.s.d
	tx, err := t.readTx(ctx, "load snapshot")
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var id, n, size int64
	var chunks int
	err = tx.QueryRowContext(ctx, `SELECT id, batches, size, chunks FROM goalkit_track_snapshots ORDER BY id DESC LIMIT 1`).Scan(&id, &n, &size, &chunks)
	switch {
	case err == sql.ErrNoRows:
		return false, nil
	case err != nil:
		return false, s.ctxErr(ctx, "load snapshot", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT data FROM goalkit_track_snapshot_chunks WHERE snapshot = `+d.placeholder(1)+` ORDER BY pos`, id)
	if err != nil {
		return false, s.ctxErr(ctx, "load snapshot", err)
	}
	defer rows.Close()
	r := &chunkReader{rows: rows, size: size, chunks: chunks}
	if err := read(n, r); err != nil {
		if r.err != nil && r.err != io.EOF && errors.Is(err, r.err) {
			return true, s.ctxErr(ctx, "load snapshot", err)
		}
		return true, fmt.Errorf("sqlcore: load snapshot: %w", err)
	}
	return true, nil
}

// chunkReader reads a snapshot's chunks in order, holding one at a time.
type chunkReader struct {
	rows   *sql.Rows
	buf    sql.RawBytes // the rest of the current chunk, valid until Next
	size   int64        // the snapshot's size
	chunks int          // and its chunks
	read   int64
	seen   int
	err    error
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		r.err = r.next()
	}
	k := copy(p, r.buf)
	r.buf = r.buf[k:]
	r.read += int64(k)
	return k, nil
}

// next moves to the next chunk; at the end it returns io.EOF, or
// io.ErrUnexpectedEOF when the chunks read do not make the snapshot.
func (r *chunkReader) next() error {
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		if r.read != r.size || r.seen != r.chunks {
			return fmt.Errorf("snapshot of %d bytes in %d chunks: %d bytes in %d chunks stored: %w", r.size, r.chunks, r.read, r.seen, io.ErrUnexpectedEOF)
		}
		return io.EOF
	}
	if err := r.rows.Scan(&r.buf); err != nil {
		return err
	}
	r.seen++
	if r.read+int64(len(r.buf)) > r.size {
		return fmt.Errorf("snapshot of %d bytes: more bytes stored", r.size)
	}
	return nil
}

// LoadAfter implements kpi.TrackSnapshotter: it reads only the batches
// after the first n (a range of seq, found through the snapshot's row or,
// for another n, the batches' index), in one read transaction, a window of
// batches at a time, as Load does.
func (t *TrackStore) LoadAfter(ctx context.Context, n int64, fn func(b *kpi.TrackBatch) error) error {
	if n < 0 {
		return fmt.Errorf("sqlcore: load after: %d batches", n)
	}
	s, d := t.s, t.s.d
	tx, err := t.readTx(ctx, "load after")
	if err != nil {
		return err
	}
	defer tx.Rollback()
	pruned, seq, err := t.pruned(ctx, tx, "load after")
	if err != nil {
		return err
	}
	if err := notPruned("load after", n, pruned); err != nil {
		return err
	}
	if n > pruned {
		err = tx.QueryRowContext(ctx, `SELECT seq FROM goalkit_track_snapshots WHERE batches = `+d.placeholder(1)+` ORDER BY id DESC LIMIT 1`, n).Scan(&seq)
	}
	switch {
	case err == sql.ErrNoRows:
		if seq, err = t.nthSeq(ctx, tx, "load after", n); err != nil {
			return err
		}
	case err != nil:
		return s.ctxErr(ctx, "load after", err)
	}
	return t.loadAfterSeq(ctx, tx, "load after", seq, fn)
}

// readTx begins a read transaction: one snapshot of the database for every
// query, that does not hold writers back (SQLite: a deferred transaction in
// WAL mode; PostgreSQL: repeatable read).
func (t *TrackStore) readTx(ctx context.Context, op string) (*sql.Tx, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if t.s.d.pg {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := t.s.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, t.s.ctxErr(ctx, op, err)
	}
	return tx, nil
}

package sqlcore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// TrackStore is a kpi.TrackStore in the own schema's goalkit_track_*
// tables: the event versions a live tracker applied, its notification
// ledger and its closed results, one row group per committed batch. Commit
// is one transaction; commits are serialized (PostgreSQL: an advisory lock;
// SQLite: its write lock), so the batches' sequence numbers are their commit
// order. Load reads every batch in one read transaction, a window of about
// 100,000 event versions at a time.
type TrackStore struct {
	s     *Store
	lease time.Duration
	mu    sync.Mutex
	// holder is the token of the lease this value holds ("": none).
	holder string
}

// TrackStore returns the live-tracking store in the same database. The
// Store must be over the own schema, migrated.
func (s *Store) TrackStore() (*TrackStore, error) {
	if !s.own {
		return nil, fmt.Errorf("sqlcore: track store: the store reads a mapped table")
	}
	return &TrackStore{s: s, lease: DefaultLease}, nil
}

var _ kpi.TrackStore = (*TrackStore)(nil)

// Commit implements kpi.TrackStore.
func (t *TrackStore) Commit(ctx context.Context, b *kpi.TrackBatch) (err error) {
	seen := make(map[string]bool, len(b.Ledger))
	for _, r := range b.Ledger {
		if seen[r.Key] {
			return fmt.Errorf("sqlcore: ledger key %s: %w", display.QuoteID(r.Key), kpi.ErrDuplicateKey)
		}
		seen[r.Key] = true
	}
	for i := range b.Events {
		if err := b.Events[i].Validate(); err != nil {
			return fmt.Errorf("sqlcore: commit: event %d: %w", i, err)
		}
	}
	s, d := t.s, t.s.d
	tx, err := t.beginHeld(ctx, "commit", trackLock)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	var seq int64
	ins := `INSERT INTO goalkit_track_batches DEFAULT VALUES RETURNING seq`
	if err := tx.QueryRowContext(ctx, ins).Scan(&seq); err != nil {
		return s.ctxErr(ctx, "commit", err)
	}
	if len(b.Ledger) > 0 {
		n, err := t.insertRecords(ctx, tx, "goalkit_track_ledger", seq, b.Ledger, " ON CONFLICT (key) DO NOTHING")
		if err != nil {
			return err
		}
		if n != int64(len(b.Ledger)) {
			var dup string
			for _, r := range b.Ledger {
				var x int
				if tx.QueryRowContext(ctx, "SELECT 1 FROM goalkit_track_ledger WHERE key = "+d.placeholder(1)+" AND seq <> "+d.placeholder(2), r.Key, seq).Scan(&x) == nil {
					dup = r.Key
					break
				}
			}
			return fmt.Errorf("sqlcore: ledger key %s: %w", display.QuoteID(dup), kpi.ErrDuplicateKey)
		}
	}
	if len(b.Closed) > 0 {
		if _, err := t.insertRecords(ctx, tx, "goalkit_track_closed", seq, b.Closed, ""); err != nil {
			return err
		}
	}
	chunk := chunkRows
	if !d.pg {
		// modernc.org/sqlite binds each parameter of a statement by a scan
		// of all of them: a statement of 500 rows (6,000 parameters) costs
		// six times what sixteen statements of 32 rows cost.
		chunk = 32
	}
	prepared := map[int]*sql.Stmt{} // by rows: a statement is parsed once a commit
	for lo := 0; lo < len(b.Events); lo += chunk {
		if err := t.insertEvents(ctx, tx, prepared, seq, lo, b.Events[lo:min(lo+chunk, len(b.Events))]); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return s.ctxErr(ctx, "commit", err)
	}
	return nil
}

func (t *TrackStore) insertRecords(ctx context.Context, tx *sql.Tx, table string, seq int64, rs []kpi.TrackRecord, conflict string) (int64, error) {
	var total int64
	d := t.s.d
	for lo := 0; lo < len(rs); lo += chunkRows {
		var sb strings.Builder
		sb.WriteString("INSERT INTO " + table + " (seq, pos, key, data) VALUES ")
		var args []any
		for i, r := range rs[lo:min(lo+chunkRows, len(rs))] {
			if i > 0 {
				sb.WriteString(", ")
			}
			data := r.Data
			if data == nil {
				data = []byte{}
			}
			args = append(args, seq, lo+i, r.Key, data)
			n := len(args)
			fmt.Fprintf(&sb, "(%s, %s, %s, %s)", d.placeholder(n-3), d.placeholder(n-2), d.placeholder(n-1), d.placeholder(n))
		}
		sb.WriteString(conflict)
		res, err := tx.ExecContext(ctx, sb.String(), args...)
		if err != nil {
			return 0, t.s.ctxErr(ctx, "commit", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, fmt.Errorf("sqlcore: commit: %w", err)
		}
		total += n
	}
	return total, nil
}

func (t *TrackStore) insertEvents(ctx context.Context, tx *sql.Tx, prepared map[int]*sql.Stmt, seq int64, lo int, es []kpi.Event) error {
	d := t.s.d
	var sb strings.Builder
	sb.WriteString("INSERT INTO goalkit_track_events (seq, pos, id, deleted, kind, ts_ns, tz_offset, actor, amount, currency, attrs, known_ns) VALUES ")
	args := make([]any, 0, 12*len(es))
	for i := range es {
		e := &es[i]
		if i > 0 {
			sb.WriteString(", ")
		}
		var ts, off int64
		if !e.Time.IsZero() {
			ts = e.Time.UnixNano()
			_, o := e.Time.Zone()
			off = int64(o)
		}
		var amount sql.NullString
		if e.Amount.Valid {
			amount = sql.NullString{String: textWithPlaces(e.Amount.Decimal), Valid: true}
		}
		attrs, err := encodeTyped(e.Attrs)
		if err != nil {
			return fmt.Errorf("sqlcore: commit: event %s: %w", display.QuoteID(e.ID), err)
		}
		var known sql.NullInt64
		if !e.Known.IsZero() {
			known = sql.NullInt64{Int64: e.Known.UnixNano(), Valid: true}
		}
		vals := []any{seq, lo + i, e.ID, e.Deleted, e.Kind, ts, off, e.Actor, amount, e.Currency, sql.NullString{String: attrs, Valid: attrs != ""}, known}
		sb.WriteByte('(')
		for j, v := range vals {
			if j > 0 {
				sb.WriteString(", ")
			}
			args = append(args, v)
			sb.WriteString(d.placeholder(len(args)))
			if d.pg && j == 8 {
				sb.WriteString("::numeric")
			}
		}
		sb.WriteByte(')')
	}
	st := prepared[len(es)]
	if st == nil {
		var err error
		if st, err = tx.PrepareContext(ctx, sb.String()); err != nil {
			return t.s.ctxErr(ctx, "commit", err)
		}
		prepared[len(es)] = st
	}
	if _, err := st.ExecContext(ctx, args...); err != nil {
		return t.s.ctxErr(ctx, "commit", err)
	}
	return nil
}

// Load implements kpi.TrackStore.
func (t *TrackStore) Load(ctx context.Context, fn func(b *kpi.TrackBatch) error) error {
	tx, err := t.readTx(ctx, "load")
	if err != nil {
		return err
	}
	defer tx.Rollback()
	_, seq, err := t.pruned(ctx, tx, "load")
	if err != nil {
		return err
	}
	return t.loadAfterSeq(ctx, tx, "load", seq, fn)
}

// windowEvents is about how many event versions Load holds in memory at
// once: it reads the batches in windows of seq, each of about this many
// versions (a window holds one batch at least, however large). The first
// window is the first batch, so that a restart's seed batch (one batch of
// every event a tracker was started from) is read alone.
const windowEvents = 100_000

// loadAfterSeq reads the batches whose seq is above after (0: all) in tx,
// in commit order, and calls fn with each, a window of batches at a time.
func (t *TrackStore) loadAfterSeq(ctx context.Context, tx *sql.Tx, op string, after int64, fn func(b *kpi.TrackBatch) error) error {
	s := t.s
	var seqs []int64
	rows, err := tx.QueryContext(ctx, `SELECT seq FROM goalkit_track_batches WHERE seq > `+s.d.placeholder(1)+` ORDER BY seq`, after)
	if err != nil {
		return s.ctxErr(ctx, op, err)
	}
	for rows.Next() {
		var q int64
		if err := rows.Scan(&q); err != nil {
			rows.Close()
			return fmt.Errorf("sqlcore: %s: %w", op, err)
		}
		seqs = append(seqs, q)
	}
	if err := rows.Close(); err != nil {
		return s.ctxErr(ctx, op, err)
	}
	for i, w := 0, 1; i < len(seqs); {
		j := min(i+w, len(seqs))
		lo := after
		if i > 0 {
			lo = seqs[i-1]
		}
		batches, events, err := t.loadWindow(ctx, tx, op, lo, seqs[i:j])
		if err != nil {
			return err
		}
		for _, q := range seqs[i:j] {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(batches[q]); err != nil {
				return err
			}
		}
		i = j
		w = max(1, min(1<<16, w*windowEvents/max(events, 1)))
	}
	return nil
}

// loadWindow reads the batches of seqs, which are every seq above lo up to
// the last of them, and returns them by seq with the number of their
// events. Its ranges are bounded on both sides: PostgreSQL's planner,
// without statistics of the tables yet, takes a one-sided range for a third
// of the rows, and reads every batch instead of the index's range.
func (t *TrackStore) loadWindow(ctx context.Context, tx *sql.Tx, op string, lo int64, seqs []int64) (map[int64]*kpi.TrackBatch, int, error) {
	s := t.s
	where := " WHERE seq > " + s.d.placeholder(1) + " AND seq <= " + s.d.placeholder(2)
	args := []any{lo, seqs[len(seqs)-1]}
	batches := make(map[int64]*kpi.TrackBatch, len(seqs))
	for _, q := range seqs {
		batches[q] = &kpi.TrackBatch{}
	}
	for _, table := range []string{"goalkit_track_ledger", "goalkit_track_closed"} {
		rows, err := tx.QueryContext(ctx, "SELECT seq, key, data FROM "+table+where+" ORDER BY seq, pos", args...)
		if err != nil {
			return nil, 0, s.ctxErr(ctx, op, err)
		}
		for rows.Next() {
			var q int64
			var r kpi.TrackRecord
			if err := rows.Scan(&q, &r.Key, &r.Data); err != nil {
				rows.Close()
				return nil, 0, fmt.Errorf("sqlcore: %s: %w", op, err)
			}
			if r.Data != nil && len(r.Data) == 0 {
				r.Data = nil
			}
			b := batches[q]
			if table == "goalkit_track_ledger" {
				b.Ledger = append(b.Ledger, r)
			} else {
				b.Closed = append(b.Closed, r)
			}
		}
		if err := rows.Close(); err != nil {
			return nil, 0, s.ctxErr(ctx, op, err)
		}
	}
	events := 0
	amount := "amount"
	if s.d.pg {
		amount = "amount::text"
	}
	rows, err := tx.QueryContext(ctx, "SELECT seq, id, deleted, kind, ts_ns, tz_offset, actor, "+amount+", currency, attrs, known_ns FROM goalkit_track_events"+where+" ORDER BY seq, pos", args...)
	if err != nil {
		return nil, 0, s.ctxErr(ctx, op, err)
	}
	for rows.Next() {
		var (
			q, ts, off int64
			e          kpi.Event
			am, attrs  sql.NullString
			known      sql.NullInt64
		)
		if err := rows.Scan(&q, &e.ID, &e.Deleted, &e.Kind, &ts, &off, &e.Actor, &am, &e.Currency, &attrs, &known); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("sqlcore: %s: %w", op, err)
		}
		if ts != 0 || off != 0 || !e.Deleted {
			e.Time = instant(ts, off)
		}
		if am.Valid {
			v, err := decimal.NewFromString(am.String)
			if err != nil {
				rows.Close()
				return nil, 0, fmt.Errorf("sqlcore: %s: event %s: amount: %w", op, display.QuoteID(e.ID), err)
			}
			e.Amount = decimal.NewNullDecimal(v)
		}
		if attrs.Valid {
			if e.Attrs, err = decodeTyped(attrs.String); err != nil {
				rows.Close()
				return nil, 0, fmt.Errorf("sqlcore: %s: event %s: %w", op, display.QuoteID(e.ID), err)
			}
		}
		if known.Valid {
			e.Known = time.Unix(0, known.Int64).UTC()
		}
		b := batches[q]
		b.Events = append(b.Events, e)
		events++
	}
	if err := rows.Close(); err != nil {
		return nil, 0, s.ctxErr(ctx, op, err)
	}
	return batches, events, nil
}

// encodeTyped writes attributes keeping their Go types: each value is a
// pair [type, text] with type s, i, d, b or t.
func encodeTyped(attrs map[string]any) (string, error) {
	if len(attrs) == 0 {
		return "", nil
	}
	m := make(map[string][2]string, len(attrs))
	// Of several attributes refused the least name is told, whatever the
	// map's order.
	var badKey string
	var bad error
	for k, v := range attrs {
		refuse := func(err error) {
			if bad == nil || k < badKey {
				badKey, bad = k, err
			}
		}
		switch x := v.(type) {
		case string:
			if err := checkText(k, x); err != nil {
				refuse(err)
				continue
			}
			m[k] = [2]string{"s", x}
		case int:
			m[k] = [2]string{"i", strconv.Itoa(x)}
		case int32:
			m[k] = [2]string{"i", strconv.FormatInt(int64(x), 10)}
		case int64:
			m[k] = [2]string{"i", strconv.FormatInt(x, 10)}
		case bool:
			m[k] = [2]string{"b", strconv.FormatBool(x)}
		case decimal.Decimal:
			// Coefficient and exponent: 12.50 stays 12.50.
			m[k] = [2]string{"d", x.Coefficient().String() + "e" + strconv.Itoa(int(x.Exponent()))}
		case time.Time:
			ts, err := timeText(k, x)
			if err != nil {
				refuse(err)
				continue
			}
			m[k] = [2]string{"t", ts}
		default:
			refuse(fmt.Errorf("attribute %s: unsupported value of type %T", display.QuoteID(k), v))
		}
	}
	if bad != nil {
		return "", bad
	}
	b, err := json.Marshal(m)
	return string(b), err
}

func decodeTyped(s string) (map[string]any, error) {
	var m map[string][2]string
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("attrs: %w", err)
	}
	out := make(map[string]any, len(m))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := m[k]
		var err error
		switch p[0] {
		case "s":
			out[k] = p[1]
		case "i":
			out[k], err = strconv.ParseInt(p[1], 10, 64)
		case "b":
			out[k], err = strconv.ParseBool(p[1])
		case "d":
			out[k], err = decimal.NewFromString(p[1])
		case "t":
			out[k], err = time.Parse(time.RFC3339Nano, p[1])
		default:
			err = fmt.Errorf("unknown type %s", display.QuoteID(p[0]))
		}
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", display.QuoteID(k), err)
		}
	}
	return out, nil
}

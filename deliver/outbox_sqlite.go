package deliver

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/sqliteuri"
	"github.com/goalkit/goalkit/internal/unixnano"
	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

// SQLiteOutbox is the Outbox in a SQLite file (modernc.org/sqlite, no cgo).
// Every change is one transaction, synchronous=FULL: what it recorded
// before a crash, a power cut included, is there after it. It keeps
// instants as Unix nanoseconds, from 1677-09-21 to 2262-04-11: a change
// that would keep one outside is refused, naming it.
type SQLiteOutbox struct {
	db *sql.DB
}

var _ Outbox = (*SQLiteOutbox)(nil)

const outboxSchema = `
CREATE TABLE IF NOT EXISTS goalkit_outbox (
	id         TEXT PRIMARY KEY,
	key        TEXT NOT NULL,
	recipient  TEXT NOT NULL,
	channel    TEXT NOT NULL,
	message    TEXT NOT NULL,
	state      TEXT NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0,
	next_at    INTEGER NOT NULL,
	last_error TEXT NOT NULL DEFAULT '',
	sent_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS goalkit_outbox_due ON goalkit_outbox (state, next_at);
CREATE TABLE IF NOT EXISTS goalkit_outbox_routed (
	key      TEXT PRIMARY KEY,
	at       INTEGER NOT NULL DEFAULT 0,
	at_given INTEGER NOT NULL DEFAULT 0
);`

// OpenOutbox opens (creating it when missing) the outbox in the SQLite file
// at path. An empty path is an error: SQLite would open a temporary
// database of each connection, gone when it closes.
func OpenOutbox(ctx context.Context, path string) (*SQLiteOutbox, error) {
	if path == "" {
		return nil, errors.New("outbox: no file path")
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_txlock", "immediate")
	db, err := sql.Open("sqlite", sqliteuri.File(path)+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("outbox: open %s: %w", path, err)
	}
	if _, err := db.ExecContext(ctx, outboxSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("outbox: %s: %w", path, err)
	}
	if err := addRoutedAt(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("outbox: %s: %w", path, err)
	}
	return &SQLiteOutbox{db: db}, nil
}

// addRoutedAt adds the routed keys' instants (unix nanoseconds) to an
// outbox made before they were kept, and at_given (1: at is the instant,
// even 0, the Unix epoch) to one made before it said so. A row of such an
// outbox keeps the reading it had: at 0 is no instant, any other the
// instant.
func addRoutedAt(ctx context.Context, db *sql.DB) error {
	for _, col := range []string{"at", "at_given"} {
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('goalkit_outbox_routed') WHERE name = ?`, col).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		if _, err := db.ExecContext(ctx, `ALTER TABLE goalkit_outbox_routed ADD COLUMN `+col+` INTEGER NOT NULL DEFAULT 0`); err != nil {
			return err
		}
	}
	return nil
}

// Close closes the file.
func (o *SQLiteOutbox) Close() error { return o.db.Close() }

func (o *SQLiteOutbox) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := o.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return fmt.Errorf("outbox: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

// Add implements Outbox.
func (o *SQLiteOutbox) Add(ctx context.Context, routed []RoutedKey, msgs []Message) error {
	return o.tx(ctx, func(tx *sql.Tx) error {
		for _, m := range msgs {
			data, err := encodeMessage(m)
			if err != nil {
				return err
			}
			next, err := nanos("message "+m.ID+": created", m.Created)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO goalkit_outbox (id, key, recipient, channel, message, state, next_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
				m.ID, m.Key, m.To.User, m.Channel, data, Pending, next); err != nil {
				return err
			}
		}
		for _, k := range routed {
			var at, given int64
			if !k.At.IsZero() {
				var err error
				if at, err = nanos("key "+k.Key, k.At); err != nil {
					return err
				}
				given = 1
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO goalkit_outbox_routed (key, at, at_given) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING`, k.Key, at, given); err != nil {
				return err
			}
		}
		return nil
	})
}

// Routed implements Outbox.
func (o *SQLiteOutbox) Routed(ctx context.Context, keys []string) (map[string]bool, error) {
	out := map[string]bool{}
	for len(keys) > 0 {
		n := min(len(keys), 500)
		args := make([]any, n)
		for i, k := range keys[:n] {
			args[i] = k
		}
		rows, err := o.db.QueryContext(ctx, `SELECT key FROM goalkit_outbox_routed WHERE key IN (?`+strings.Repeat(", ?", n-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, fmt.Errorf("outbox: %w", err)
			}
			out[k] = true
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		keys = keys[n:]
	}
	return out, nil
}

// RoutedKeys implements RoutedLister. A key routed before the outbox kept
// instants takes that of the notification a message of it carries.
func (o *SQLiteOutbox) RoutedKeys(ctx context.Context, fn func(key string, at time.Time) error) error {
	rows, err := o.db.QueryContext(ctx, `SELECT r.key, r.at, r.at_given, MIN(json_extract(o.message, '$.notification.at'))
		FROM goalkit_outbox_routed r LEFT JOIN goalkit_outbox o ON o.key = r.key AND r.at = 0 AND r.at_given = 0 GROUP BY r.key`)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	var keys []RoutedKey
	for rows.Next() {
		var r RoutedKey
		var ns, given int64
		var told sql.NullString
		if err := rows.Scan(&r.Key, &ns, &given, &told); err != nil {
			rows.Close()
			return fmt.Errorf("outbox: %w", err)
		}
		switch {
		case given != 0 || ns != 0:
			r.At = time.Unix(0, ns)
		case told.Valid && told.String != "":
			if r.At, err = time.Parse(time.RFC3339Nano, told.String); err != nil {
				rows.Close()
				return fmt.Errorf("outbox: the message of %q: notification.at: %w", r.Key, err)
			}
		}
		keys = append(keys, r)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	// fn is called with the rows closed: it may use the outbox.
	for _, r := range keys {
		if err := fn(r.Key, r.At); err != nil {
			return err
		}
	}
	return nil
}

var _ RoutedLister = (*SQLiteOutbox)(nil)

const entryColumns = `message, state, attempts, next_at, last_error, sent_at`

func (o *SQLiteOutbox) entries(ctx context.Context, query string, args ...any) ([]Entry, error) {
	rows, err := o.db.QueryContext(ctx, `SELECT `+entryColumns+` FROM goalkit_outbox `+query, args...)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var data string
		var next, sent int64
		if err := rows.Scan(&data, &e.State, &e.Attempts, &next, &e.LastError, &sent); err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		m, err := decodeMessage([]byte(data))
		if err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		e.Message, e.Next = m, time.Unix(0, next).UTC()
		// Sent always stamps sent_at with the state: 0 is the Unix
		// epoch there, not "never sent".
		if e.State == Sent {
			e.SentAt = time.Unix(0, sent).UTC()
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return out, nil
}

// Due implements Outbox.
func (o *SQLiteOutbox) Due(ctx context.Context, now time.Time, limit int) ([]Entry, error) {
	return o.entries(ctx, `WHERE state IN (?, ?) AND next_at <= ? ORDER BY next_at, id LIMIT ?`, Pending, Sending, unixnano.Of(now), limit)
}

// DueExcept implements ChannelDue.
func (o *SQLiteOutbox) DueExcept(ctx context.Context, now time.Time, limit int, skip []string) ([]Entry, int, error) {
	if len(skip) == 0 {
		es, err := o.Due(ctx, now, limit)
		return es, 0, err
	}
	names, err := json.Marshal(skip)
	if err != nil {
		return nil, 0, fmt.Errorf("outbox: %w", err)
	}
	const due = `state IN (?, ?) AND next_at <= ? AND channel `
	const skipped = `IN (SELECT value FROM json_each(?))`
	at := unixnano.Of(now)
	es, err := o.entries(ctx, `WHERE `+due+`NOT `+skipped+` ORDER BY next_at, id LIMIT ?`, Pending, Sending, at, string(names), limit)
	if err != nil {
		return nil, 0, err
	}
	var n int
	if err := o.db.QueryRowContext(ctx, `SELECT count(*) FROM goalkit_outbox WHERE `+due+skipped, Pending, Sending, at, string(names)).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("outbox: %w", err)
	}
	return es, n, nil
}

var _ ChannelDue = (*SQLiteOutbox)(nil)

// Entries implements Outbox.
func (o *SQLiteOutbox) Entries(ctx context.Context, state State) ([]Entry, error) {
	return o.entries(ctx, `WHERE state = ? ORDER BY next_at, id`, state)
}

// errUnknownMessage is the error of a change to a message the outbox does
// not hold (or not in the state the change needs).
var errUnknownMessage = errors.New("no such message")

func (o *SQLiteOutbox) update(ctx context.Context, id, query string, args ...any) error {
	return o.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, append(args, id)...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("%s: %w", id, errUnknownMessage)
		}
		return nil
	})
}

// Begin implements Outbox.
func (o *SQLiteOutbox) Begin(ctx context.Context, id string, next time.Time) error {
	ns, err := nanos(id+": next attempt", next)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return o.update(ctx, id, `UPDATE goalkit_outbox SET state = ?, attempts = attempts + 1, next_at = ? WHERE id = ? AND state IN ('pending', 'sending')`,
		Sending, ns)
}

// Sent implements Outbox.
func (o *SQLiteOutbox) Sent(ctx context.Context, id string, at time.Time) error {
	ns, err := nanos(id+": sent", at)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return o.update(ctx, id, `UPDATE goalkit_outbox SET state = ?, sent_at = ?, last_error = '' WHERE id = ? AND state = 'sending'`, Sent, ns)
}

// Fail implements Outbox.
func (o *SQLiteOutbox) Fail(ctx context.Context, id string, next time.Time, dead bool, reason string) error {
	state := Pending
	if dead {
		state = Dead
	}
	ns, err := nanos(id+": next attempt", next)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return o.update(ctx, id, `UPDATE goalkit_outbox SET state = ?, next_at = ?, last_error = ? WHERE id = ? AND state = 'sending'`, state, ns, reason)
}

// Requeue implements Outbox.
func (o *SQLiteOutbox) Requeue(ctx context.Context, id string, at time.Time) error {
	ns, err := nanos(id+": requeued", at)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return o.update(ctx, id, `UPDATE goalkit_outbox SET state = ?, attempts = 0, next_at = ? WHERE id = ? AND state = 'dead'`, Pending, ns)
}

// nanos is t in Unix nanoseconds, as the outbox keeps instants; an instant
// outside their range is refused, naming what it is (time.UnixNano's
// value would wrap round, 2300 kept as 1715, the message due at once and
// read back in the wrong century).
func nanos(what string, t time.Time) (int64, error) {
	if t.Before(unixnano.Min) || t.After(unixnano.Max) {
		return 0, fmt.Errorf("%s: instant %s is outside what the outbox keeps (%s to %s)", what,
			t.UTC().Format(time.RFC3339), unixnano.Min.UTC().Format(time.DateOnly), unixnano.Max.UTC().Format(time.DateOnly))
	}
	return t.UnixNano(), nil
}

// messageJSON is a message as the outbox stores it: the notification in
// its report form.
type messageJSON struct {
	Message
	Notification json.RawMessage `json:"notification,omitempty"`
}

func encodeMessage(m Message) ([]byte, error) {
	w := messageJSON{Message: m}
	w.Message.Notification = nil
	if m.Notification != nil {
		data, err := json.Marshal(m.Notification)
		if err != nil {
			return nil, err
		}
		w.Notification = data
	}
	return json.Marshal(w)
}

func decodeMessage(data []byte) (Message, error) {
	var w messageJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return Message{}, err
	}
	m := w.Message
	if len(w.Notification) > 0 {
		n, err := decodeNotification(w.Notification)
		if err != nil {
			return Message{}, err
		}
		m.Notification = &n
	}
	return m, nil
}

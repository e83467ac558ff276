package deliver_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/goalkit/goalkit/deliver"
	_ "modernc.org/sqlite"
)

// oldOutboxTable is the messages' table of every earlier outbox file.
const oldOutboxTable = `CREATE TABLE goalkit_outbox (id TEXT PRIMARY KEY, key TEXT NOT NULL, recipient TEXT NOT NULL, channel TEXT NOT NULL,
	message TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL,
	last_error TEXT NOT NULL DEFAULT '', sent_at INTEGER NOT NULL DEFAULT 0)`

// openOldOutbox writes an outbox file as an earlier version made it (the
// statements), then opens it as an outbox, which brings it up to date.
func openOldOutbox(t *testing.T, statements ...string) *deliver.SQLiteOutbox {
	t.Helper()
	path := filepath.Join(t.TempDir(), "outbox.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range statements {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	o, err := deliver.OpenOutbox(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}

// checkRoutedKeys adds the routed keys, then checks that the outbox lists
// exactly the keys of want, each at its instant (the zero time: none).
func checkRoutedKeys(t *testing.T, o *deliver.SQLiteOutbox, add []deliver.RoutedKey, want map[string]time.Time) {
	t.Helper()
	ctx := context.Background()
	if err := o.Add(ctx, add, nil); err != nil {
		t.Fatal(err)
	}
	got := map[string]time.Time{}
	if err := o.RoutedKeys(ctx, func(key string, at time.Time) error { got[key] = at; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("routed keys %v, want %v", got, want)
	}
	for k, at := range want {
		if g, ok := got[k]; !ok || !g.Equal(at) || g.IsZero() != at.IsZero() {
			t.Errorf("routed key %s at %v, want %v", k, g, at)
		}
	}
}

// An outbox file made before routed keys kept their instants opens with
// them added: a key routed then with a message of its notification lists
// the message's instant, one routed without a message none, and keys
// routed after the opening keep their own.
func TestSQLiteOutboxFromBeforeRoutedInstants(t *testing.T) {
	told := time.Date(2025, 3, 25, 9, 30, 0, 0, time.UTC)
	o := openOldOutbox(t, oldOutboxTable,
		`CREATE TABLE goalkit_outbox_routed (key TEXT PRIMARY KEY)`,
		`INSERT INTO goalkit_outbox (id, key, recipient, channel, message, state, next_at) VALUES
			('m1', 'achieved/g/anna/2025-03/', 'anna', 'mail', '{"key":"achieved/g/anna/2025-03/","notification":{"key":"achieved/g/anna/2025-03/","at":"2025-03-25T09:30:00Z"}}', 'sent', 0)`,
		`INSERT INTO goalkit_outbox_routed (key) VALUES ('achieved/g/anna/2025-03/'), ('achieved/g/boris/2025-03/')`)
	later := told.Add(time.Hour)
	checkRoutedKeys(t, o, []deliver.RoutedKey{{Key: "achieved/g/vera/2025-03/", At: later}},
		map[string]time.Time{"achieved/g/anna/2025-03/": told, "achieved/g/boris/2025-03/": {}, "achieved/g/vera/2025-03/": later})
}

// An outbox file made when routed keys kept their instants but not whether
// one was given opens with that added, each key read as before: an instant
// other than 0 is its own, 0 none (the message's, when one carries it).
// A key routed after at the Unix epoch lists the epoch: 0 read as none.
func TestSQLiteOutboxFromBeforeEpochInstants(t *testing.T) {
	told := time.Date(2025, 3, 25, 9, 30, 0, 0, time.UTC)
	o := openOldOutbox(t, oldOutboxTable,
		`CREATE TABLE goalkit_outbox_routed (key TEXT PRIMARY KEY, at INTEGER NOT NULL DEFAULT 0)`,
		`INSERT INTO goalkit_outbox (id, key, recipient, channel, message, state, next_at) VALUES
			('m1', 'a', 'anna', 'mail', '{"key":"a","notification":{"key":"a","at":"2025-03-25T09:30:00Z"}}', 'sent', 0)`,
		`INSERT INTO goalkit_outbox_routed (key, at) VALUES ('a', 0), ('b', 0), ('c', 1742895000000000000)`)
	epoch := time.Unix(0, 0)
	// c: 2025-03-25T09:30:00Z, as its nanoseconds.
	checkRoutedKeys(t, o, []deliver.RoutedKey{{Key: "d", At: epoch}, {Key: "e"}},
		map[string]time.Time{"a": told, "b": {}, "c": told, "d": epoch, "e": {}})
}

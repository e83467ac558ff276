package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/adapters/sqlcore/sqlcoretest"
	"github.com/goalkit/goalkit/kpi"
)

// hostDB makes a host's database at path, as a program of its own would:
// the crm_events table of sqlcoretest.MappedTable, in SQLite's default
// journal mode.
func hostDB(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE crm_events (event_id TEXT PRIMARY KEY, type TEXT, at_ns INTEGER, user_id TEXT, amt TEXT, cur TEXT, props TEXT, pipeline INTEGER, vip INTEGER)`); err != nil {
		t.Fatal(err)
	}
}

func TestMapped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "host.db")
	hostDB(t, path)
	m := sqlcoretest.MappedTable("at_ns", "")
	s, err := OpenMapped(path, m)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sqlcoretest.InsertMapped(t, s.DB(), `INSERT INTO crm_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		func(ts time.Time) any { return ts.UnixNano() })
	sqlcoretest.TestMapped(t, s.DB(), sqlcore.SQLite, m, true)
}

// TestMappedWritesNothing checks OpenMapped's promise that nothing is
// created or written: a host's database read through a mapping keeps its
// journal mode (OpenMapped switched it to WAL, which the file keeps, for
// every other program that opens it), and a path where there is no file
// is an error naming it, leaving no file (an empty database was made
// there, and the error came at the first scan as "no such table").
func TestMappedWritesNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "host.db")
	hostDB(t, path)
	s, err := OpenMapped(path, sqlcoretest.MappedTable("at_ns", ""))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode string
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "delete" {
		t.Errorf("the host's database is in journal mode %q (%v), want delete, as the host made it", mode, err)
	}

	typo := filepath.Join(dir, "hots.db")
	s, err = OpenMapped(typo, sqlcoretest.MappedTable("at_ns", ""))
	if err == nil {
		s.Close()
	}
	if want := "sqlite: open " + typo + ": no such database file: file does not exist"; err == nil || err.Error() != want || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: got %v, want %s (fs.ErrNotExist)", err, want)
	}
	if _, err := os.Stat(typo); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file was created: %v", err)
	}
}

// A host's table without a unique id, holding one id on two rows: scans
// and pushdown both refuse it, naming the id (sqlcoretest.TestDuplicateIDs).
func TestMappedDuplicateIDs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "host.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE crm_events (event_id TEXT, type TEXT, at_ns INTEGER, user_id TEXT, amt TEXT, cur TEXT, props TEXT, pipeline INTEGER, vip INTEGER)`); err != nil {
		t.Fatal(err)
	}
	sqlcoretest.TestDuplicateIDs(t, db, sqlcore.SQLite, sqlcoretest.MappedTable("at_ns", ""),
		`INSERT INTO crm_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, func(ts time.Time) any { return ts.UnixNano() })
}

// A host's table holding an actor no event may have: pushdown refuses it,
// naming it, as a scan does (sqlcoretest.TestPushActors).
func TestMappedPushActors(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "host.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE crm_events (event_id TEXT PRIMARY KEY, type TEXT, at_ns INTEGER, user_id TEXT, amt TEXT, cur TEXT, props TEXT, pipeline INTEGER, vip INTEGER)`); err != nil {
		t.Fatal(err)
	}
	sqlcoretest.TestPushActors(t, db, sqlcore.SQLite, sqlcoretest.MappedTable("at_ns", ""),
		`INSERT INTO crm_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, func(ts time.Time) any { return ts.UnixNano() })
}

// A host's table with a row whose id, kind or time is NULL: refused,
// naming the table, the event and the column (sqlcoretest.TestNullColumns).
func TestMappedNullColumns(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "host.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE crm_events (event_id TEXT, type TEXT, at_ns INTEGER, user_id TEXT, amt TEXT, cur TEXT, props TEXT, pipeline INTEGER, vip INTEGER)`); err != nil {
		t.Fatal(err)
	}
	sqlcoretest.TestNullColumns(t, db, sqlcore.SQLite, sqlcoretest.MappedTable("at_ns", ""),
		`INSERT INTO crm_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, func(ts time.Time) any { return ts.UnixNano() })
}

// The same over a table whose time and offset columns declare no type, so
// that SQLite keeps a REAL as it is written (an INTEGER column turns a
// whole REAL into an integer): a REAL time or offset of an event in the
// pushed range is declined by Push, which counted it, and refused by Scan.
func TestMappedNullColumnsUntyped(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "host.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE crm_events (event_id TEXT, type TEXT, at_ns, user_id TEXT, amt TEXT, cur TEXT, props TEXT, pipeline, vip INTEGER)`); err != nil {
		t.Fatal(err)
	}
	sqlcoretest.TestNullColumns(t, db, sqlcore.SQLite, sqlcoretest.MappedTable("at_ns", ""),
		`INSERT INTO crm_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, func(ts time.Time) any { return ts.UnixNano() })
}

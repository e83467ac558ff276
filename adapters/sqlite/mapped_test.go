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
	"github.com/goalkit/goalkit/formula"
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

// openHost makes hostDB's database in a temporary directory and opens it
// through sqlcoretest.MappedTable, which it returns; the store is closed
// when the test ends.
func openHost(t *testing.T) (*Store, sqlcore.Mapping) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "host.db")
	hostDB(t, path)
	m := sqlcoretest.MappedTable("at_ns", "")
	s, err := OpenMapped(path, m)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, m
}

func TestMapped(t *testing.T) {
	s, m := openHost(t)
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

// A row whose attribute columns hold what is not their type (SQLite's
// columns keep any), or whose attributes are not JSON: a scan refuses it,
// naming the event and the column, and a push declines, so that the
// evaluation scans and says so. The push counted the row where its filter
// and value did not read the column, and where they read text that is not
// JSON failed with SQLite's "malformed JSON", naming no table.
func TestMappedBadCells(t *testing.T) {
	ctx := context.Background()
	s, _ := openHost(t)
	march := []time.Time{time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)}
	at := time.Date(2025, 3, 20, 9, 0, 0, 0, time.UTC).UnixNano()
	web := formula.Compare{Op: "==", L: formula.Ident{Name: "source", Type: formula.TypeString}, R: formula.Const{Value: formula.String("web")}}
	for _, tc := range []struct {
		props, pipeline, vip any
		want                 string
	}{
		{nil, "two", nil, `column pipeline (attribute "pipeline"): "two" is not an int`},
		{nil, 2.5, nil, `column pipeline (attribute "pipeline"): "2.5" is not an int`},
		{nil, nil, 2, `column vip (attribute "vip"): "2" is not a bool`},
		{nil, nil, "yes", `column vip (attribute "vip"): "yes" is not a bool`},
		{`{"source":"web"} x`, nil, nil, `column props (the attributes): text after the JSON object of attributes`},
	} {
		if _, err := s.DB().ExecContext(ctx, `DELETE FROM crm_events`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().ExecContext(ctx, `INSERT INTO crm_events VALUES ('a', 'call', ?, 'u1', NULL, '', '{"source":"web"}', 1, 1), ('b', 'call', ?, 'u2', NULL, '', ?, ?, ?)`,
			at, at, tc.props, tc.pipeline, tc.vip); err != nil {
			t.Fatal(err)
		}
		want := `sqlcore: scan: table crm_events: event "b": ` + tc.want
		if err := s.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { return nil }); err == nil || err.Error() != want {
			t.Errorf("scan: got %v, want %s", err, want)
		}
		for _, q := range []kpi.PushQuery{{Bounds: march}, {Bounds: march, Where: web}, {Bounds: march, Value: "pipeline"}} {
			if rows, ok, err := s.Push(ctx, q); ok || err != nil {
				t.Errorf("%s: push %+v: got %+v, %v, %v; want it declined", tc.want, q, rows, ok, err)
			}
		}
	}
}

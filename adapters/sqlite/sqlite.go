package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/internal/sqliteuri"
	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

// Store is an event store in a SQLite file. It embeds sqlcore.Store: Scan,
// Push, Apply, Import. It is safe for concurrent use.
type Store struct {
	*sqlcore.Store
	db *sql.DB
}

// Open opens (creating it if needed) the SQLite database at path and brings
// its schema to the current version. Close it when done. A path whose
// directory does not exist is an error that says so, and so is ":memory:",
// SQLite's in-memory database, which is another database on each of the
// store's connections.
func Open(ctx context.Context, path string) (*Store, error) {
	return openStore(ctx, path, true)
}

// OpenExisting is Open for readers: it never creates the file, and a path
// where there is no file is an error that names it (matching fs.ErrNotExist);
// a database without goalkit's events table (a host's own, or an empty
// file) is an error too, and is left as it was (an older schema of
// goalkit's is still brought up to date), as postgres.OpenExisting does.
func OpenExisting(ctx context.Context, path string) (*Store, error) {
	return openStore(ctx, path, false)
}

func openStore(ctx context.Context, path string, create bool) (*Store, error) {
	if !create {
		if err := checkHolds(ctx, path); err != nil {
			return nil, err
		}
	}
	db, err := connect(ctx, path, create, true)
	if err != nil {
		return nil, err
	}
	s, err := sqlcore.New(db, sqlcore.SQLite, nil)
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		db.Close()
		return nil, openError(path, err)
	}
	return &Store{Store: s, db: db}, nil
}

// OpenMapped opens the SQLite database at path to read a host's table
// through m; nothing is created or written. A path where there is no file
// is an error that names it (matching fs.ErrNotExist), as for
// OpenExisting, and the database keeps its journal mode: the host's other
// programs open it as before.
func OpenMapped(path string, m sqlcore.Mapping) (*Store, error) {
	if path == "" {
		return nil, fmt.Errorf("sqlite: no database path")
	}
	if err := checkPath(path, false); err != nil {
		return nil, err
	}
	db, err := openDB(path, false, false)
	if err != nil {
		return nil, err
	}
	s, err := sqlcore.New(db, sqlcore.SQLite, &m)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Store{Store: s, db: db}, nil
}

// checkHolds says whether the database at path holds goalkit's events
// table, reading it as it is: the WAL mode Open sets would be kept in the
// file of a host's database that is not goalkit's.
func checkHolds(ctx context.Context, path string) error {
	db, err := OpenHostDB(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'goalkit_events'`).Scan(&n); err != nil {
		return openError(path, err)
	}
	if n == 0 {
		return fmt.Errorf("sqlite: %s holds no goalkit events (no goalkit_events table): import some first (goalkit import)", path)
	}
	return nil
}

// OpenHostDB opens the SQLite database at path to read a host's own tables
// (a mapping's table, mapping.Mapper.LoadDB); nothing is created or
// written: goalkit's tables are not made in it, and the database keeps its
// journal mode. A path where there is no file is an error that names it
// (matching fs.ErrNotExist), as for OpenExisting. Close the DB when done.
func OpenHostDB(ctx context.Context, path string) (*sql.DB, error) {
	return connect(ctx, path, false, false)
}

// connect opens the database at path (openDB) and checks that it can be
// read; without create a file that is not there is an error naming it.
func connect(ctx context.Context, path string, create, wal bool) (*sql.DB, error) {
	if path == "" {
		return nil, fmt.Errorf("sqlite: no database path")
	}
	if path == memoryPath {
		return nil, errMemory
	}
	if err := checkPath(path, create); err != nil {
		return nil, err
	}
	db, err := openDB(path, create, wal)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, openError(path, err)
	}
	return db, nil
}

// memoryPath is SQLite's name of an in-memory database.
const memoryPath = ":memory:"

// errMemory refuses SQLite's in-memory database: each connection of the
// pool opens a database of its own, so that a read on a second connection
// (two reads at once, a tracker's lease beside a scan) found no table, and
// a write there went to another database than the first.
var errMemory = fmt.Errorf("sqlite: %s is a new, empty database on every connection, and a store reads and writes on several: use a file (a temporary one, for tests) or memory.Store", memoryPath)

// checkPath says, before SQLite tries, why path cannot be opened: the
// driver reports a missing directory as "out of memory".
func checkPath(path string, create bool) error {
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return fmt.Errorf("sqlite: open %s: is a directory", path)
	case err == nil:
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("sqlite: open %s: %w", path, unwrapPath(err))
	case !create:
		return fmt.Errorf("sqlite: open %s: no such database file: %w", path, fs.ErrNotExist)
	}
	dir := filepath.Dir(path)
	di, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("sqlite: create %s: directory %s does not exist: %w", path, dir, fs.ErrNotExist)
	case err != nil:
		return fmt.Errorf("sqlite: create %s: %w", path, unwrapPath(err))
	case !di.IsDir():
		return fmt.Errorf("sqlite: create %s: %s is not a directory", path, dir)
	}
	return nil
}

// unwrapPath drops the *fs.PathError's own copy of the path.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// openError names path, and says what SQLite's code 14 (SQLITE_CANTOPEN,
// which the driver spells "out of memory") means.
func openError(path string, err error) error {
	if c, ok := err.(interface{ Code() int }); ok && c.Code()&0xff == 14 {
		return fmt.Errorf("sqlite: open %s: cannot open the database file (check that its directory exists and is writable)", path)
	}
	return fmt.Errorf("sqlite: %s: %w", path, err)
}

// openDB opens the database at path; without create, a file that is not
// there is not made. wal puts the database in WAL mode, which is kept in
// the file: the adapter's own database only, never a host's that a mapping
// reads.
func openDB(path string, create, wal bool) (*sql.DB, error) {
	q := url.Values{}
	if !create {
		q.Add("mode", "rw")
	}
	q.Add("_pragma", "busy_timeout(10000)")
	if wal {
		q.Add("_pragma", "journal_mode(WAL)")
	}
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_txlock", "immediate")
	db, err := sql.Open("sqlite", sqliteuri.File(path)+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"

	"github.com/goalkit/goalkit/adapters/sqlcore"
	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

// Store is an event store in a SQLite file. It embeds sqlcore.Store: Scan,
// Push, Apply, Import. It is safe for concurrent use.
type Store struct {
	*sqlcore.Store
	db *sql.DB
}

// Open opens (creating it if needed) the SQLite database at path and brings
// its schema to the current version. Close it when done.
func Open(ctx context.Context, path string) (*Store, error) {
	db, err := openDB(path)
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
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return &Store{Store: s, db: db}, nil
}

// OpenMapped opens the SQLite database at path to read a host's table
// through m; nothing is created or written.
func OpenMapped(path string, m sqlcore.Mapping) (*Store, error) {
	db, err := openDB(path)
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

func openDB(path string) (*sql.DB, error) {
	if path == "" {
		return nil, fmt.Errorf("sqlite: no database path")
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

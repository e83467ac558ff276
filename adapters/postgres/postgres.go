package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// Store is an event store in PostgreSQL. It embeds sqlcore.Store: Scan,
// Push, Apply, Import. It is safe for concurrent use.
type Store struct {
	*sqlcore.Store
	db *sql.DB
}

// Open connects to the database named by dsn (a postgres:// URL or
// key=value string) and brings the schema to the current version, creating
// goalkit's tables when there are none. Errors never contain the DSN's
// password.
func Open(ctx context.Context, dsn string) (*Store, error) { return openStore(ctx, dsn, true) }

// OpenExisting is Open for readers: a database without goalkit's events
// table is an error, and nothing is created in it (an older schema is
// still brought up to date).
func OpenExisting(ctx context.Context, dsn string) (*Store, error) { return openStore(ctx, dsn, false) }

func openStore(ctx context.Context, dsn string, create bool) (*Store, error) {
	db, err := openDB(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if !create {
		var found bool
		if err := db.QueryRowContext(ctx, `SELECT to_regclass('goalkit_events') IS NOT NULL`).Scan(&found); err != nil {
			db.Close()
			return nil, fmt.Errorf("postgres: %w", err)
		}
		if !found {
			db.Close()
			return nil, fmt.Errorf("postgres: the database holds no goalkit events (no goalkit_events table): import some first (goalkit import)")
		}
	}
	s, err := sqlcore.New(db, sqlcore.Postgres, nil)
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return &Store{Store: s, db: db}, nil
}

// OpenMapped connects to read a host's table through m; nothing is created
// or written.
func OpenMapped(ctx context.Context, dsn string, m sqlcore.Mapping) (*Store, error) {
	db, err := openDB(ctx, dsn)
	if err != nil {
		return nil, err
	}
	s, err := sqlcore.New(db, sqlcore.Postgres, &m)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Store{Store: s, db: db}, nil
}

// OpenHostDB connects to the database named by dsn to read a host's own
// tables (a mapping's table, mapping.Mapper.LoadDB); nothing is created or
// written, and the database need not hold goalkit's tables. Errors never
// contain the DSN's password. Close the DB when done.
func OpenHostDB(ctx context.Context, dsn string) (*sql.DB, error) { return openDB(ctx, dsn) }

func openDB(ctx context.Context, dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// The parser's message may quote the DSN: say only what is wrong.
		return nil, fmt.Errorf("postgres: cannot parse the connection string")
	}
	db := stdlib.OpenDB(*cfg)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("postgres: connect to %s:%d as %s: %w", cfg.Host, cfg.Port, cfg.User, redact(err, cfg.Password))
	}
	return db, nil
}

// redact drops a password from an error: from its text, and from the chain
// that errors.Unwrap, errors.Is and errors.As walk. pgx's connect error
// (*pgconn.ConnectError, the error a failed ping returns) carries the
// connection's configuration, password included: the chain holds a copy
// without the password, which errors.As still finds, and which still
// unwraps to the network or server error. An error whose chain holds a
// connect error deeper down, where no copy can replace it, does not unwrap.
func redact(err error, password string) error {
	if password == "" {
		return err
	}
	inner := err
	var ce *pgconn.ConnectError
	switch {
	case errors.As(err, &ce) && ce.Config != nil && ce.Config.Password != "" && err == error(ce):
		c := *ce // the configuration the pool keeps is not changed
		c.Config = ce.Config.Copy()
		c.Config.Password = ""
		inner = &c
	case ce != nil && ce.Config != nil && ce.Config.Password != "":
		inner = nil
	}
	return redacted{err: err, inner: inner, pw: password}
}

type redacted struct {
	err   error // the error, whose text is masked
	inner error // what Unwrap returns: err without the password, or nil
	pw    string
}

func (r redacted) Error() string {
	return strings.ReplaceAll(r.err.Error(), r.pw, "xxxxx")
}

func (r redacted) Unwrap() error { return r.inner }

// Close closes the connection pool.
func (s *Store) Close() error { return s.db.Close() }

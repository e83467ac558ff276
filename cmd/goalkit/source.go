package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/adapters/mapping"
	"github.com/goalkit/goalkit/adapters/postgres"
	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/adapters/sqlite"
	"github.com/goalkit/goalkit/kpi"
)

// openDatabase opens the event database named by spec: sqlite:FILE, or a
// postgres:// (postgresql://) URL. Only a writing command (create) may
// create a SQLite file: a reader that names a missing file fails. Errors
// never repeat the spec, which may hold a password.
func openDatabase(ctx context.Context, spec string, create bool) (*sqlcore.Store, func() error, error) {
	file, err := sourceFile(spec)
	if err != nil {
		return nil, nil, err
	}
	if file != "" {
		open := sqlite.OpenExisting
		if create {
			open = sqlite.Open
		}
		s, err := open(ctx, file)
		if err != nil {
			return nil, nil, err
		}
		return s.Store, s.Close, nil
	}
	open := postgres.OpenExisting
	if create {
		open = postgres.Open
	}
	s, err := open(ctx, spec)
	if err != nil {
		return nil, nil, err
	}
	return s.Store, s.Close, nil
}

// sourceFile returns the SQLite file of spec (sqlite:FILE), or "" for a
// postgres:// (postgresql://) URL; anything else is a usage error.
func sourceFile(spec string) (string, error) {
	switch {
	case spec == "sqlite:":
		return "", usagef("-source sqlite: names no file: want sqlite:FILE")
	case strings.HasPrefix(spec, "sqlite:"):
		return strings.TrimPrefix(spec, "sqlite:"), nil
	case strings.HasPrefix(spec, "postgres://"), strings.HasPrefix(spec, "postgresql://"):
		return "", nil
	}
	return "", usagef("-source must be sqlite:FILE or a postgres:// URL")
}

// openHostDatabase opens the database of spec to read a host's table
// through a mapping: goalkit's tables are neither needed nor made there,
// and nothing in it changes (a SQLite file keeps its journal mode).
func openHostDatabase(ctx context.Context, spec string) (*sql.DB, error) {
	file, err := sourceFile(spec)
	switch {
	case err != nil:
		return nil, err
	case file != "":
		return sqlite.OpenHostDB(ctx, file)
	}
	return postgres.OpenHostDB(ctx, spec)
}

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import", stderr)
	eventsPath := fs.String("events", "", eventsUsage)
	spec := fs.String("source", "", "the database: sqlite:FILE or postgres://…")
	planPath := fs.String("plan", "", "plan file whose attributes section types the file's attributes (optional)")
	mappingPath := fs.String("mapping", "", "mapping file (YAML or JSON): -events is a CSV table to read through it")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *eventsPath == "" || *spec == "" {
		return usagef("-events and -source are required")
	}
	var attrs map[string]kpi.AttrType
	if *planPath != "" {
		def, err := goalkit.ReadDefinition(*planPath)
		if err != nil {
			return err
		}
		attrs = def.Attributes
	}
	var m *mapping.Mapper
	if *mappingPath != "" {
		var err error
		if m, err = compileMapping(*mappingPath, attrs); err != nil {
			return err
		}
	}
	s, closeDB, err := openDatabase(ctx, *spec, true)
	if err != nil {
		return err
	}
	defer closeDB()
	n := 0
	// One transaction for the file: a bad line anywhere rolls back all of it.
	counted := eventfile.StoreFunc(func(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
		return s.Import(ctx, func(add func(*kpi.Event) error) error {
			return fn(func(e *kpi.Event) error {
				n++
				return add(e)
			})
		})
	})
	if m != nil {
		err = loadTable(ctx, counted, m, *eventsPath)
	} else {
		err = loadEvents(ctx, counted, *eventsPath, attrs)
	}
	if err != nil {
		return err
	}
	// The store's Import says nothing of what changed: the count is of
	// the versions read, which a user took for the versions imported
	// (the same file again said so, though it changed nothing).
	fmt.Fprintf(stdout, "read %d event versions from %s and applied them in one transaction (a version equal to the one the database holds, or replaced by a later one of the file, changes nothing)\n", n, *eventsPath)
	return nil
}

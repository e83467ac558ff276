package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
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
	// What the database holds, to tell the events the file changes from
	// those it leaves as they were: the same file imported twice changes
	// nothing the second time.
	// A database that cannot be read whole (a row another program wrote
	// badly) still takes the import, which may be what mends it: the
	// changes are then not counted, and the line says why.
	held, heldErr := heldVersions(ctx, s)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	read, last := 0, map[string]version{}
	// One transaction for the file: a bad line anywhere rolls back all of it.
	counted := eventfile.StoreFunc(func(ctx context.Context, fn func(add func(*kpi.Event) error) error) error {
		return s.Import(ctx, func(add func(*kpi.Event) error) error {
			return fn(func(e *kpi.Event) error {
				read++
				last[e.ID] = versionOf(e)
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
	if heldErr != nil {
		fmt.Fprintf(stdout, "imported %d event versions from %s (what they changed is not counted: reading what the database held failed: %v)\n", read, *eventsPath, heldErr)
		return nil
	}
	var added, changed, retracted, same int
	for id, v := range last {
		before, had := held[id]
		switch {
		case v.deleted && had:
			retracted++
		case v.deleted, had && before == v.digest:
			same++ // a retraction of nothing held, or the version held
		case had:
			changed++
		default:
			added++
		}
	}
	fmt.Fprintf(stdout, "imported %d event versions from %s: %d events new, %d changed, %d retracted, %d as the database held them\n",
		read, *eventsPath, added, changed, retracted, same)
	return nil
}

// version is what an event's last version in a file says: its digest
// (versionDigest), or that it retracts the event.
type version struct {
	digest  [sha256.Size]byte
	deleted bool
}

func versionOf(e *kpi.Event) version {
	if e.Deleted {
		return version{deleted: true}
	}
	return version{digest: versionDigest(e)}
}

// heldVersions reads the digest (versionDigest) of the current version of
// every event src holds, by id.
func heldVersions(ctx context.Context, src kpi.Source) (map[string][sha256.Size]byte, error) {
	held := map[string][sha256.Size]byte{}
	err := src.Scan(ctx, kpi.Query{}, func(e *kpi.Event) error {
		held[e.ID] = versionDigest(e)
		return nil
	})
	return held, err
}

// versionDigest is the digest of what a version says, as a database reads
// it back: its instant and offset, its amount's value, its attributes as
// reports write them (goalkit.AttrText), in the order of their names.
func versionDigest(e *kpi.Event) [sha256.Size]byte {
	h := sha256.New()
	field := func(s string) {
		var n [binary.MaxVarintLen64]byte
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
		h.Write([]byte(s))
	}
	_, off := e.Time.Zone()
	field(e.Kind)
	field(e.Actor)
	field(strconv.FormatInt(e.Time.Unix(), 10) + "." + strconv.Itoa(e.Time.Nanosecond()) + "@" + strconv.Itoa(off))
	field(e.Currency)
	if e.Amount.Valid {
		field("amount " + e.Amount.Decimal.String())
	} else {
		field("")
	}
	if e.Known.IsZero() {
		field("")
	} else {
		field(strconv.FormatInt(e.Known.Unix(), 10) + "." + strconv.Itoa(e.Known.Nanosecond()))
	}
	for _, k := range slices.Sorted(maps.Keys(e.Attrs)) {
		field(k)
		field(goalkit.AttrText(e.Attrs[k]))
	}
	var d [sha256.Size]byte
	h.Sum(d[:0])
	return d
}

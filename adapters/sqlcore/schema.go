package sqlcore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// migrations are the versioned steps of the own schema, per dialect: step i
// is version i+1. Never edit a step once released; add one.
func (d Dialect) migrations() []string {
	return []string{d.eventsTable(), d.trackTables(), attrTypesTable + d.attrTypesFill(), leaseTable, d.snapshotTables(), d.nonIntIndex(), d.textIndex(), d.ctrlIndex(), d.validIndex(), d.validIndexAttrs()}
}

// eventsTable is the first step of the own schema: the events, with the
// dialect's types (an amount is exact NUMERIC in PostgreSQL; SQLite keeps
// its text, and in amount_units the amount in 10⁻⁴ units where it fits an
// int64).
func (d Dialect) eventsTable() string {
	if d.pg {
		return `CREATE TABLE goalkit_events (
	id TEXT PRIMARY KEY,
	kind TEXT NOT NULL,
	ts_ns BIGINT NOT NULL,
	tz_offset INTEGER NOT NULL DEFAULT 0,
	actor TEXT NOT NULL DEFAULT '',
	amount NUMERIC,
	currency TEXT NOT NULL DEFAULT '',
	attrs JSONB,
	known_ns BIGINT
);
CREATE INDEX goalkit_events_kind_ts ON goalkit_events (kind, ts_ns);`
	}
	return `CREATE TABLE goalkit_events (
	id TEXT PRIMARY KEY,
	kind TEXT NOT NULL,
	ts_ns INTEGER NOT NULL,
	tz_offset INTEGER NOT NULL DEFAULT 0,
	actor TEXT NOT NULL DEFAULT '',
	amount TEXT,
	amount_units INTEGER,
	currency TEXT NOT NULL DEFAULT '',
	attrs TEXT,
	known_ns INTEGER
);
CREATE INDEX goalkit_events_kind_ts ON goalkit_events (kind, ts_ns);`
}

// attrTypesFill follows attrTypesTable in the third step: it records the
// type of every attribute the events already hold, read from the dialect's
// JSON.
func (d Dialect) attrTypesFill() string {
	if d.pg {
		return `
INSERT INTO goalkit_attr_types (name, type)
SELECT DISTINCT a.key, CASE jsonb_typeof(a.value) WHEN 'string' THEN 'string' WHEN 'number' THEN 'number' WHEN 'boolean' THEN 'bool' ELSE 'time' END
FROM goalkit_events, jsonb_each(goalkit_events.attrs) a
WHERE goalkit_events.attrs IS NOT NULL AND jsonb_typeof(a.value) <> 'null';`
	}
	return `
INSERT INTO goalkit_attr_types (name, type)
SELECT DISTINCT a.key, CASE a.type WHEN 'text' THEN 'string' WHEN 'integer' THEN 'number' WHEN 'real' THEN 'number' WHEN 'true' THEN 'bool' WHEN 'false' THEN 'bool' ELSE 'time' END
FROM goalkit_events, json_each(goalkit_events.attrs) a
WHERE goalkit_events.attrs IS NOT NULL AND a.type <> 'null';`
}

// trackTables is the second step of the own schema: the tracker's batches of
// event versions, its ledger of emitted notifications and its closed results,
// with the column types of the dialect.
func (d Dialect) trackTables() string {
	return d.columnTypes().Replace(`CREATE TABLE goalkit_track_batches (seq SERIAL);
CREATE TABLE goalkit_track_events (
	seq INT8 NOT NULL REFERENCES goalkit_track_batches (seq),
	pos INTEGER NOT NULL,
	id TEXT NOT NULL,
	deleted BOOL NOT NULL,
	kind TEXT NOT NULL,
	ts_ns INT8 NOT NULL,
	tz_offset INTEGER NOT NULL,
	actor TEXT NOT NULL,
	amount NUM,
	currency TEXT NOT NULL,
	attrs TEXT,
	known_ns INT8,
	PRIMARY KEY (seq, pos)
);
CREATE TABLE goalkit_track_ledger (
	key TEXT PRIMARY KEY,
	seq INT8 NOT NULL REFERENCES goalkit_track_batches (seq),
	pos INTEGER NOT NULL,
	data BYTES NOT NULL
);
CREATE INDEX goalkit_track_ledger_seq ON goalkit_track_ledger (seq, pos);
CREATE TABLE goalkit_track_closed (
	seq INT8 NOT NULL REFERENCES goalkit_track_batches (seq),
	pos INTEGER NOT NULL,
	key TEXT NOT NULL,
	data BYTES NOT NULL,
	PRIMARY KEY (seq, pos)
);`)
}

// columnTypes replaces the neutral column types of the track tables' steps
// with the dialect's.
func (d Dialect) columnTypes() *strings.Replacer {
	if d.pg {
		return strings.NewReplacer("SERIAL", "BIGSERIAL PRIMARY KEY", "INT8", "BIGINT", "BOOL", "BOOLEAN", "NUM", "NUMERIC", "BYTES", "BYTEA")
	}
	return strings.NewReplacer("SERIAL", "INTEGER PRIMARY KEY AUTOINCREMENT", "INT8", "INTEGER", "BOOL", "INTEGER", "NUM", "TEXT", "BYTES", "BLOB")
}

// snapshotTables is migration 5: the tracker's snapshots. A snapshot is a
// row of goalkit_track_snapshots (the batches it covers, the seq of the last
// of them, its size in bytes and in chunks) and its bytes in chunks of
// goalkit_track_snapshot_chunks, in order of pos; goalkit_track_pruned
// holds the batches whose events Prune deleted (one row at most: how many,
// and the seq of the last). A database migrated before it has no snapshot,
// and its trackers replay every batch, as before.
//
// PostgreSQL stores the chunks uncompressed (STORAGE EXTERNAL): its pglz
// compression made writing 64 MiB of a compressible snapshot 3.3 times as
// slow (1.24 s against 0.38 s) and reading it twice as slow, to save 40 % of
// the space; a tracker that wants a smaller snapshot compresses it itself.
func (d Dialect) snapshotTables() string {
	external := ""
	if d.pg {
		external = "\nALTER TABLE goalkit_track_snapshot_chunks ALTER COLUMN data SET STORAGE EXTERNAL;"
	}
	return d.columnTypes().Replace(`CREATE TABLE goalkit_track_snapshots (
	id SERIAL,
	batches INT8 NOT NULL,
	seq INT8 NOT NULL,
	size INT8 NOT NULL,
	chunks INTEGER NOT NULL,
	saved_ns INT8 NOT NULL
);
CREATE TABLE goalkit_track_snapshot_chunks (
	snapshot INT8 NOT NULL REFERENCES goalkit_track_snapshots (id),
	pos INTEGER NOT NULL,
	data BYTES NOT NULL,
	PRIMARY KEY (snapshot, pos)
);
CREATE TABLE goalkit_track_pruned (
	id INTEGER PRIMARY KEY,
	batches INT8 NOT NULL,
	seq INT8 NOT NULL
);`) + external
}

// Version is the own schema's version this package writes.
func (d Dialect) Version() int { return len(d.migrations()) }

// Migrate brings the own schema to the current version, applying each
// missing migration in its own transaction. It refuses a database whose
// schema is newer than this package knows.
func (s *Store) Migrate(ctx context.Context) error {
	if !s.own {
		return fmt.Errorf("sqlcore: migrate: the store reads a mapped table")
	}
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS goalkit_schema (version INTEGER PRIMARY KEY)`); err != nil {
		return fmt.Errorf("sqlcore: migrate: %w", err)
	}
	steps := s.d.migrations()
	for {
		done, err := s.migrateOne(ctx, steps)
		if err != nil {
			return fmt.Errorf("sqlcore: migrate: %w", err)
		}
		if done {
			return nil
		}
	}
}

// migrateOne applies the next missing step; done reports there was none.
func (s *Store) migrateOne(ctx context.Context, steps []string) (done bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer func() {
		if err != nil || done {
			_ = tx.Rollback()
		}
	}()
	if s.d.pg {
		// Concurrent migrators wait for each other.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7245001)`); err != nil {
			return false, err
		}
	}
	var v sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(version) FROM goalkit_schema`).Scan(&v); err != nil {
		return false, err
	}
	cur := int(v.Int64)
	if cur > len(steps) {
		return false, fmt.Errorf("schema version %d is newer than this adapter (%d)", cur, len(steps))
	}
	if cur == len(steps) {
		return true, nil
	}
	if _, err := tx.ExecContext(ctx, steps[cur]); err != nil {
		return false, fmt.Errorf("version %d: %w", cur+1, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO goalkit_schema (version) VALUES (`+fmt.Sprint(cur+1)+`)`); err != nil {
		return false, err
	}
	return false, tx.Commit()
}

// attrTypesTable is the table of migration 3 (goalkit_attr_types); the
// migration fills it with what the events already hold, in each dialect's
// JSON functions.
const attrTypesTable = `CREATE TABLE goalkit_attr_types (
	name TEXT NOT NULL,
	type TEXT NOT NULL,
	PRIMARY KEY (name, type)
);`

// leaseTable is migration 4: the live tracker's lease (one row at most).
const leaseTable = `CREATE TABLE goalkit_track_lease (
	id INTEGER PRIMARY KEY,
	holder TEXT NOT NULL,
	since_ns BIGINT NOT NULL,
	expires_ns BIGINT NOT NULL
);`

// nonIntWhere is the condition of a row of SQLite's own table whose offset
// or known time is not an integer (a REAL or text written by hand, which
// the column keeps): a scan refuses it, naming the event, and a push, which
// reads neither, looks for such rows in nonIntIndex.
const nonIntWhere = "(typeof(tz_offset) <> 'integer' OR typeof(known_ns) NOT IN ('integer', 'null'))"

// nonIntIndex is migration 6: in SQLite, a partial index of the rows
// nonIntWhere holds for (none, unless written by hand), so that a push
// finds them in the index, whatever its range, at the cost of a lookup
// where a test of every row of its range cost about a sixth of the push
// (BENCHMARKS.md); PostgreSQL's columns hold their types, and the step does
// nothing there.
func (d Dialect) nonIntIndex() string {
	if d.pg {
		return "SELECT 1"
	}
	return "CREATE INDEX goalkit_events_nonint ON goalkit_events (ts_ns) WHERE " + nonIntWhere + ";"
}

// textWhere is the condition of a row of SQLite's own table whose kind or
// currency may not be an identifier (kpi.Event.Validate: a control
// character, a NUL, invalid UTF-8), written by hand: one with a byte past
// printable ASCII, which Go then tells from a valid one. A scan passes it
// to the engine, which refuses it, naming the event; a push looks for such
// rows in textIndex.
const textWhere = "(kind GLOB '*[^ -~]*' OR currency GLOB '*[^ -~]*' OR instr(CAST(kind AS BLOB), x'00') > 0 OR instr(CAST(currency AS BLOB), x'00') > 0)"

// textIndex is migration 7: in SQLite, a partial index of the rows
// textWhere holds for (for a host whose kinds and currencies are ASCII,
// none unless written by hand); PostgreSQL's step does nothing (its
// index is migration 8's, ctrlIndex).
func (d Dialect) textIndex() string {
	if d.pg {
		return "SELECT 1"
	}
	return "CREATE INDEX goalkit_events_text ON goalkit_events (ts_ns) WHERE " + textWhere + ";"
}

// ctrlWhere is the condition of a row of PostgreSQL's own table whose kind
// or currency is not an identifier (kpi.Event.Validate): one with a control
// character, its text being valid in its encoding and holding no NUL. A
// scan passes it to the engine, which refuses it, naming the event; a push,
// which would count it, declines where ctrlIndex holds one in its range.
const ctrlWhere = `(kind ~ '[\x01-\x1f\x7f-\x9f]' OR currency ~ '[\x01-\x1f\x7f-\x9f]')`

// ctrlIndex is migration 8: in PostgreSQL, a partial index of the rows
// ctrlWhere holds for (none, unless written by hand), as migration 7 keeps
// SQLite's (textIndex); SQLite's step does nothing.
func (d Dialect) ctrlIndex() string {
	if !d.pg {
		return "SELECT 1"
	}
	return "CREATE INDEX goalkit_events_ctrl ON goalkit_events (ts_ns) WHERE " + ctrlWhere + ";"
}

// The instants, as Unix nanoseconds, more than two days inside UTC's years
// 1678–2261 (colstore.InsideYears): [insideFirstNs, insideEndNs). A time or
// known time outside them may be outside those years in its own zone,
// which a scan refuses.
const (
	insideFirstNs = (-9214560000 + 2*86400) * 1e9 // 1678-01-03T00:00:00Z
	insideEndNs   = (9214646400 - 2*86400) * 1e9  // 2261-12-30T00:00:00Z
)

// validWhere9 is the condition of a row of the own table that may hold what
// else a scan refuses (Store.rowProblem, decodeAttrs), which Apply never
// writes and a hand may: a time or known time within two days of the
// years' ends or past them; in SQLite an amount that may not be a decimal
// or whose exponent may be past ±1000 (a character other than a digit, a
// point or a minus, no digit, two points, a minus after the first
// character, more than 1000 characters, which an amount Apply writes with
// 999 or 1000 places has too), in PostgreSQL one of a scale past
// 1000 or none (NaN, infinity); a decimal attribute whose exponent may be
// past ±1000 (in SQLite an exponent's letter before a sign or a digit, or
// more than 1000 digits after a point; PostgreSQL's jsonb writes its
// numbers in their digits); more than 64 attributes (more than 64 colons,
// in attributes of more than 390 characters, the fewest 65 names and values
// take). A push looks for such rows in validIndex, and Go tells them from
// good ones. The patterns a GLOB tests at each character go where the text
// is short; those of a first letter are found by a search for it.
func (d Dialect) validWhere9() string {
	years := fmt.Sprintf("ts_ns NOT BETWEEN %d AND %d OR known_ns NOT BETWEEN %[1]d AND %[2]d", int64(insideFirstNs), int64(insideEndNs-1))
	colons := func(t string) string { return "length(" + t + ") - length(replace(" + t + ", ':', '')) > 64" }
	if d.pg {
		attrs := "attrs::text"
		return "(" + years + " OR scale(amount) > 1000 OR (amount IS NOT NULL AND scale(amount) IS NULL)" +
			" OR (length(" + attrs + ") > 390 AND (" + colons(attrs) + " OR " + attrs + ` ~ '\.([0-9]{250}){4}[0-9]')))`
	}
	return "(" + years + " OR " + amountWhere9 +
		" OR attrs GLOB '*e[-+0-9]*' OR attrs GLOB '*E[-+0-9]*'" +
		" OR (length(attrs) > 390 AND (" + colons("attrs") + " OR attrs GLOB '*." + strings.Repeat("[0-9]", 1001) + "*')))"
}

// amountWhere9 is validWhere9's condition of SQLite's amount.
const amountWhere9 = "CAST(amount AS TEXT) GLOB '*[^0-9.-]*' OR CAST(amount AS TEXT) NOT GLOB '*[0-9]*' OR CAST(amount AS TEXT) GLOB '*.*.*'" +
	" OR CAST(amount AS TEXT) GLOB '?*-*' OR length(CAST(amount AS TEXT)) > 1000"

// validIndex is migration 9: a partial index of the rows validWhere9 holds
// for (none, unless written by hand), in either dialect, as migrations 6
// to 8 keep theirs.
func (d Dialect) validIndex() string {
	return "CREATE INDEX goalkit_events_valid ON goalkit_events (ts_ns) WHERE " + d.validWhere9() + ";"
}

// attrsWhere is the condition of a row of the own table whose attributes
// may hold what else decodeAttrs refuses, which Apply never writes and a
// hand may: a name with a control character (in the JSON an escape of one,
// \u0000–\u001f, \u007f–\u009f or \b, \f, \n, \r, \t, in PostgreSQL
// any escape, or one of DEL and the C1 controls as it is), an empty name,
// an array, an object that is not a time's, text that is not one JSON object (SQLite's json_valid;
// PostgreSQL's jsonb is valid JSON). A string value holding such text
// makes a row one too, which Go then tells from a bad one. Not looked for:
// a time's object with another member or a text that is not an RFC 3339
// time, which would mark every row with a time attribute.
func (d Dialect) attrsWhere() string {
	if d.pg {
		// jsonb writes a control character below U+0020 as an escape,
		// DEL and the C1 controls as they are, and an inner object after
		// ": ", which a time's follows with {"$time": ". One test of a
		// class of characters and of a rare pair: the text of the jsonb
		// is what costs (BENCHMARKS.md), and alternatives of escapes and a
		// lookahead at every "{" took a sixth longer.
		return `(jsonb_typeof(attrs) <> 'object' OR attrs ? '' OR attrs::text ~ '[\\\x7f-\x9f[]|: \{(?!"\$time": ")')`
	}
	// A search for a byte (instr) before each pattern a GLOB tests at
	// every character: the GLOBs alone cost an import of the standard
	// workload 8 % more instructions (BENCHMARKS.md).
	count := func(sub string) string {
		return "(length(attrs) - length(replace(attrs, '" + sub + "', ''))) / " + fmt.Sprint(len(sub))
	}
	return "(NOT json_valid(attrs) OR attrs NOT GLOB '{*'" +
		" OR (instr(attrs, '\\') > 0 AND (attrs GLOB '*\\u00[0189]*' OR attrs GLOB '*\\u007[fF]*' OR attrs GLOB '*\\[bfnrt]*'))" +
		" OR (instr(attrs, '\"\"') > 0 AND (instr(attrs, '\"\":') > 0 OR attrs GLOB '*\"\"[ ' || char(9, 10, 13) || ']*'))" +
		" OR instr(attrs, char(127)) > 0 OR instr(CAST(attrs AS BLOB), x'c2') > 0 OR instr(attrs, '[') > 0" +
		" OR (attrs GLOB '?*{*' AND " + count("{") + " - 1 > " + count(`{"$time":`) + "))"
}

// validWhere is the condition of the rows validIndexAttrs holds:
// validWhere9's or attrsWhere's.
func (d Dialect) validWhere() string {
	return "(" + d.validWhere9() + " OR " + d.attrsWhere() + ")"
}

// validIndexAttrs is migration 10: migration 9's index of the rows a scan
// may refuse made again to hold attrsWhere's too, so that a push over a
// range holding one declines as it does over validWhere9's.
func (d Dialect) validIndexAttrs() string {
	return "DROP INDEX goalkit_events_valid;\nCREATE INDEX goalkit_events_valid ON goalkit_events (ts_ns) WHERE " + d.validWhere() + ";"
}

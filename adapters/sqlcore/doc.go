// Package sqlcore is the dialect-neutral part of goalkit's SQL adapters
// (adapters/sqlite and adapters/postgres): the event table's schema and its
// versioned migrations, a column mapping for a host's existing table, a
// kpi.Source that scans the table, Apply/Import of event versions in one
// transaction, and kpi.Pusher, which translates a filter group into one
// grouped SQL query.
//
// It uses only database/sql and the goalkit core; the driver modules open the
// connection and pick the Dialect. Hosts normally use those modules, not this
// package.
//
// # Schema
//
// The adapter's own table, goalkit_events, holds the current version of every
// live event: id (primary key), kind, ts_ns (the instant as Unix nanoseconds,
// UTC), tz_offset (the seconds east of UTC the time was written with), actor,
// amount (PostgreSQL NUMERIC; SQLite: the exact decimal text, plus
// amount_units, the amount in 10⁻⁴ units when it fits an int64, which is what
// SQLite sums; written with its places, as a decimal attribute is),
// currency, attrs (JSON; numbers as JSON numbers, a decimal
// with its places, trailing zeros kept, so that 1.00 and 0.0 scan back as
// 1.00 and 0.0, not 1 and 0, and one of a positive exponent as the whole
// number it is, 1e3 as 1000, which is all JSON and NUMERIC keep; time values as
// {"$time": RFC 3339}, in UTC when their offset has seconds or is a day or
// more, which RFC 3339 cannot write) and known_ns. JSON cannot hold every value exactly, so Apply,
// Import and a TrackStore's Commit refuse, naming the event and attribute, a
// string attribute that is not UTF-8 and a time attribute outside the years
// 0000–9999, rather than store another value or one no read can decode;
// in PostgreSQL, whose jsonb cannot hold U+0000, Apply and Import refuse a
// string attribute holding it the same way. An amount keeps its places in
// the own table and in a TrackStore's batches alike: 1500.00 and 1.10
// scan and load back as 1500.00 and 1.10, as the memory store gives them.
// Rows written by a version that dropped trailing zeros keep their text
// (1500, 1.1). In SQLite an amount of 999 or 1000 places is text of more
// than 1000 characters, which migration 9's index holds (below): a push
// over a range holding one reads it and finds it valid.
// Migrations are embedded and versioned in
// the table goalkit_schema; Migrate applies the missing ones, each in a
// transaction. Migration 6 (SQLite) indexes the rows whose offset or known
// time is not an integer (written by hand: SQLite keeps a REAL or text),
// which a scan refuses, naming the event, so that a push over a range that
// holds one declines and the evaluation scans. Migration 7 (SQLite) indexes
// the rows whose kind or currency has a byte past printable ASCII: a push
// over a range holding one that is not an identifier (a control character,
// invalid UTF-8, which a scan passes on for the engine to refuse, naming
// the event) declines too. A host whose kinds or currencies are past ASCII
// has its pushes read those rows of their range once more, by the index.
// Migration 8 (PostgreSQL, whose text is valid UTF-8) indexes the rows
// whose kind or currency has a control character, and a push over a range
// holding one declines the same way (no measurable cost where there are
// none, BENCHMARKS.md). Migration 9 (both) indexes the rows that may hold
// what else a scan refuses of a row (below).
//
// # Attribute types
//
// Migration 3 adds goalkit_attr_types: every (attribute, stored type) pair
// ever written, the type being string, number, bool or time (existing rows
// are backfilled). Values are read back as they were written, never
// converted: a file imported without the plan that types it holds strings.
// CheckAttributes refuses a plan whose declared types the stored values
// contradict (int and decimal read numbers), naming the attribute and both
// types, after confirming on the current events that such a value is still
// there; Push runs it with the query's attributes, and hosts that Scan call
// it with their plan's. The fix is to import again with the plan.
//
// # A host's table
//
// A Mapping names the columns of a table the host already has (id, kind,
// time as Unix nanoseconds or, in PostgreSQL, a timestamptz, actor, amount,
// currency, attributes in a JSON column and/or in columns of their own). A
// Store over it only reads: Scan and Push. A name the JSON of a row's
// attributes holds twice reads as the database reads it where a push
// filters by it: its first value in SQLite (json_extract), its last in
// PostgreSQL (jsonb keeps the last). Text after the object is an error.
//
// An event id names one event: a later version replaces an earlier one, and
// a table does not say which of two rows with one id is the later. So the
// rows a Scan or a Push reads (its kinds and time range) must hold each id
// once: where they hold one twice, both refuse, naming the table, the
// first such id and its number of rows, rather than keep one row (a scan)
// or count both (an aggregate), which gave one plan two numbers. A table
// of versions is mapped through a view that keeps the current row of each
// id. Each Scan and Push of a host's table asks the database for such an id
// first (a GROUP BY of the id over the rows it reads, cheap with an index
// on the id); the own table's id is its primary key. Apply never writes an
// id no event may have, but a hand or a foreign writer may: a row of the
// own table without an id (NULL, which SQLite's primary key takes, or
// empty), with a control character or not valid UTF-8 is refused by Scan
// and Push alike, naming it, where a push counted it. A push looks for such
// rows in its own pass over the rows of its range, whatever its filter and
// as-of instant, as a scan of the range reads them all (28 %
// more instructions on the standard workload in SQLite, BENCHMARKS.md); in
// SQLite, which has no test of UTF-8, a range where ids have bytes past
// printable ASCII is read twice more, for Go to check those ids and then
// for the numbers (2.9 times the work where every id has). In the same way
// Push refuses, naming it, an actor no event may have (kpi.Event.Validate:
// "*", the whole company's row, or one with a control character or invalid
// UTF-8), which a scan refuses; of several both name the least and count
// the others, on every database alike (a scan reads every row first, and
// names the least id it refuses before any actor). A row whose id, kind or
// time is NULL is an error of Scan naming the table, the event and the
// column (and of Push, for a row without an id, which it would count; an
// empty id is no id, as NULL is); so is a time, an offset or a known time
// that is not an integer, and an id with a control character, which a
// scan cannot pass on (kpi.Event.Validate). In SQLite, whose columns may
// keep a REAL where an integer is wanted, Push declines a range that holds
// such a time, offset or known time (the evaluation then scans, and the
// scan names the event) rather than count the row. An attribute name no
// event may have (empty, a control character: kpi.Event.Validate) in the
// JSON of a row's attributes, own table or a host's, is an error of Scan
// naming the table, the event and the column (0.6 % more instructions of
// the workload's scan and evaluation, BENCHMARKS.md), where the engine
// refused it after the scan; so is a value of no attribute's type (an
// array, an object that is not a time's), and text that is not one JSON
// object. A push over the own table declines where its range holds such a
// row (migration 10, below), and the evaluation scans and names the
// event; so does a push over a host's table (below). Scan refuses in the
// same way, naming the table, the event and the column, whatever else
// kpi.Event.Validate refuses of a row: a kind or currency
// with a control character or invalid UTF-8, an amount's or a decimal
// attribute's exponent past ±1000, a time or known time outside the years
// 1678–2261, more than 64 attributes (no measurable cost, BENCHMARKS.md).
// A push over the own table declines where its range holds such a row, as
// it does over a kind or currency no event may have (above), and the
// evaluation scans and names the event: migration 9 indexes the rows that
// may hold one (a time or known time within two days of those years' ends,
// an amount whose text may not be a decimal or has an exponent, in
// PostgreSQL a NUMERIC of a scale past 1000 or NaN, attributes whose JSON
// has an exponent's letter, more than 1000 digits after a point or more
// than 64 colons), and Go checks those of the push's range as a scan does
// (no measurable cost to a push or a scan; to import the standard
// workload, 2.4 % more instructions in SQLite, and about 1.3 µs more of
// PostgreSQL's CPU a row, some 12 %, BENCHMARKS.md). Migration 10 makes
// that index hold too the rows whose attributes' JSON may hold a name or a
// value a scan refuses (an escape of a control character, DEL or a C1
// control, an empty name, a "[", an object more than those of times, text
// that is not one JSON object), and Go checks them the same way (no
// cost to a push; to import the standard workload, 4.4 % more
// instructions in SQLite, and about 1 µs more of PostgreSQL's CPU a row,
// BENCHMARKS.md); a string value holding such text (a newline, written
// "\n") makes a push read its row again. A time's object with another
// member or whose text is not an RFC 3339 time is not looked for, in the
// own table or a host's (a push over it answers, where a scan is refused,
// naming the event): telling such text from a time's takes Go, and looking
// for it would read again every row with a time attribute. A host's table
// has no such index: a push over it
// tests the same conditions on the mapped columns (kind, currency, amount,
// known time, the attributes' JSON; more than 64 attributes counting the
// columns of their own; in PostgreSQL a decimal attribute column of a
// scale past 1000 or NaN, and an amount whose text may have an exponent
// past 1000, as a text column's may) in its own pass over the rows of its
// range, whatever its filter and as-of instant, and the values of the
// attribute columns a scan may refuse: in SQLite an int column's that is
// not an integer, a bool column's that is not 0 or 1; in PostgreSQL an int
// column's that is not an integer of int64, a bool column's whose text is
// not true or false, a time column's, which is cast (PostgreSQL tries an
// amount's and an attribute column's tests only where the catalog says
// the column is not of the type's own: 6 ns a row for a NUMERIC amount,
// some 10 ns a row and column, BENCHMARKS.md); a group holding such a row is
// read again as a scan reads it, and the push declines where Go finds one
// the scan refuses, or counts the group's rows again where not. Its time
// is not tested: a push over a host's table whose bounds reach within two
// days of the years' ends declines. The conditions cost the pass (BENCHMARKS.md);
// a host whose kinds or currencies are past ASCII, or whose amounts have
// an exponent, has its pushes read those rows once more for Go to check
// and the range's numbers twice. Where the database itself fails a push's
// query over a host's table on a value (in PostgreSQL a text amount, int,
// bool or time column cast to its type, in SQLite attributes that are not
// JSON read by a filter or the value), the push reads its range as a scan
// does and declines where the scan is refused, so that the evaluation
// scans and names the event; else its error names the table. (It failed
// with the database's error, naming neither the table nor the row.)
//
// # Live tracking
//
// Store.TrackStore returns a kpi.TrackStore in the same database (migration
// 2: goalkit_track_batches, _events, _ledger, _closed): Commit is one
// transaction, serialized so that batch numbers are the commit order, and a
// ledger key is stored at most once (a second commit of it fails with
// kpi.ErrDuplicateKey and stores nothing). Attributes of tracked events keep
// their Go types. Load reads one consistent view of the database (a read
// transaction that does not hold writers back), in windows of about 100,000
// event versions, so that it holds no more than a window in memory.
//
// A TrackStore is a kpi.TrackLocker: one tracker at a time holds a lease
// (migration 4, goalkit_track_lease: holder, since, expiry; DefaultLease,
// renewed by the holder every third of it, deleted by Tracker.Close). A
// second tracker fails with kpi.ErrStoreInUse; a crashed holder's lease
// expires and is taken over; a commit checks the lease in its transaction,
// so a holder that lost it fails instead of drifting from its successor.
//
// # Snapshots
//
// A TrackStore is a kpi.TrackSnapshotter: a tracker restarts from its
// latest snapshot and the batches committed after it (Tracker.Snapshot
// writes one; Set.Track reads it). Migration 5 adds goalkit_track_snapshots
// (a row per snapshot: the batches it covers, the seq of the last of them,
// its size) and goalkit_track_snapshot_chunks (its bytes in rows of
// SnapshotChunk, 8 MiB, so that a snapshot of any size stays under both
// databases' 1 GB limit on a value, and neither side holds more than a chunk
// of it in memory; PostgreSQL stores them uncompressed). SaveSnapshot
// writes the row, the chunks as the tracker produces them and the removal
// of the previous snapshot in one transaction: a failed write, a failed
// database or a cancelled context leaves the previous snapshot the latest.
// In SQLite that transaction holds the write lock, so commits wait for the
// snapshot (145 MB/s here: 3 s for 400 MB, within the 10 s busy timeout);
// in PostgreSQL they go on beside it.
//
// LoadAfter(n) reads only the batches after the first n: a range of seq on
// the tables' (seq, pos) keys, from the seq the snapshot's row recorded for
// its n (for another n, the n-th seq is found on the batches' index). The
// batches a snapshot covers stay, and Load still returns every batch (a
// database migrated before version 5 simply has no snapshot, and its
// trackers replay every batch until they save one), unless the host calls
// TrackStore.Prune: it deletes the covered batches' event versions, which
// the snapshot holds (every version, with the instant it became known, so
// AsKnownAt of old instants still works), and Load then starts after them.
// The snapshot is then their only copy; see Prune before using it.
//
// # Exactness
//
// Amounts never pass through float64: they are read as text. Push answers a
// query only when SQL gives exactly what formula.EvalNode gives, and reports
// ok = false otherwise (arithmetic other than a negation, string functions,
// time arithmetic, comparisons of time-valued attributes; in SQLite a
// negation too, numbers that are not whole 10⁻⁴ units, attribute numbers
// that are not integers of int64, a whole decimal with places, 1.00,
// among them, which SQLite's JSON reads as a float, sums that overflow
// int64). The engine
// pushes no arithmetic, a negation included; a host's own push may send a
// negation.
package sqlcore

// Package postgres keeps goalkit events in PostgreSQL, through
// github.com/jackc/pgx/v5 (its database/sql driver). It is its own Go module.
//
// Open connects and migrates the adapter's schema (the table goalkit_events,
// see adapters/sqlcore), creating it when there is none; OpenExisting, for
// readers, never creates it (a database without it is an error); OpenMapped reads a host's existing table through a
// column mapping; OpenHostDB connects to read a host's own tables through
// package mapping, creating nothing. The Store is a kpi.Source and a kpi.Pusher: a plan's filter
// groups are grouped and summed in the database (NUMERIC, read as text, so
// amounts stay exact), by actor and by the bucket of the stored UTC instant,
// so time zones are right by construction. What SQL cannot answer exactly
// (arithmetic other than a negation, string functions, time arithmetic)
// is declined and scanned.
//
// Store.TrackStore is the live tracker's kpi.TrackStore in the same
// database, held by one tracker at a time through a lease row (a second
// tracker gets kpi.ErrStoreInUse; a crashed holder's lease expires; see
// adapters/sqlcore). A lease rather than an advisory lock on a dedicated
// connection keeps one implementation for SQLite and PostgreSQL. It is
// also a kpi.TrackSnapshotter: a restarted tracker reads its latest
// snapshot (8 MiB chunks of bytea, stored uncompressed, saved in one
// transaction while commits go on) and only the batches committed after it;
// TrackStore.Prune, only when called, deletes the events of the batches the
// snapshot covers (see adapters/sqlcore).
//
// The tests, among them the conformance suites of adapters/adaptertest
// (TestSource, TestPusher, TestTrackStore, TestTrackSnapshotter), run
// against a real server named by GOALKIT_PG_DSN and are skipped without it
// (they fail without it when GOALKIT_CI=1); scripts/pg-test.sh starts a
// throwaway cluster for them.
package postgres

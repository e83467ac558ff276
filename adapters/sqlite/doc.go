// Package sqlite keeps goalkit events in a SQLite database file: the
// embedded choice for persistence without a server. It uses modernc.org/sqlite
// (pure Go, no cgo) and is its own Go module.
//
// Open creates or opens the file and migrates the adapter's schema
// (OpenExisting, for readers, never creates it: a missing file, or one
// without goalkit's events, is an error naming it; a path whose directory is missing says so; OpenHostDB opens a
// host's own database to read its tables through package mapping, making
// nothing in it and keeping its journal mode); the
// returned Store is a kpi.Source and a kpi.Pusher (the database groups and
// sums a plan's filter groups; what SQLite cannot compute exactly is declined
// and scanned by the engine), and applies event versions with Apply or Import,
// each call one transaction. Store.TrackStore is the live tracker's
// kpi.TrackStore in the same file, held by one tracker at a time through a
// lease row (a second tracker gets kpi.ErrStoreInUse; a crashed holder's
// lease expires, see adapters/sqlcore); a test kills an ingesting process with
// SIGKILL and checks that a restart loses and doubles nothing. It is also a
// kpi.TrackSnapshotter: a restarted tracker reads its latest snapshot (kept
// in the file in 8 MiB chunks, saved in one transaction) and only the
// batches committed after it; TrackStore.Prune, only when called, deletes
// the events of the batches the snapshot covers (see adapters/sqlcore). The tests run the conformance suites of
// adapters/adaptertest (TestSource, TestPusher, TestTrackStore,
// TestTrackSnapshotter, on a file reopened too). See adapters/sqlcore for the schema and the rules of
// exactness: amounts are stored as exact decimal text, and summed in SQLite
// as integers of 10⁻⁴ units.
package sqlite

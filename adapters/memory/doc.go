// Package memory is goalkit's embedded default storage: an in-memory event
// store that implements kpi.Source (and evaluates in place, column by column),
// and an in-memory org Directory.
//
// A Store is safe for concurrent use: applies take a write lock, scans and
// evaluations a read lock. Its tests run adaptertest.TestSource through each
// of its write paths (Apply, Load, Stream).
package memory

// Package memory is goalkit's embedded default storage: an in-memory event
// store that implements kpi.Source (and evaluates in place, column by column),
// and an in-memory org Directory.
//
// A Store is filled with Apply (event versions in hand) or Import (a stream
// of them, such as an event file through eventfile.Load); both apply all of
// it or nothing. It is safe for concurrent use: applies and imports take a
// write lock, scans and evaluations a read lock.
// Its tests run adaptertest.TestSource through each of its write paths.
package memory

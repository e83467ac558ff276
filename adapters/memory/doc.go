// Package memory is goalkit's embedded default storage: an in-memory event
// store that implements kpi.Source (and evaluates in place, column by column),
// and an in-memory org Directory.
//
// A Store is filled with Apply (event versions in hand), Import (a stream
// of them) or ImportParts and ImportParallel (streams in parts, filled on
// every core at once and taken in order: how eventfile.Load reads a file
// into a store; into an empty store ImportParallel joins the parts to the
// table as they are filled, and the part whose turn it is goes in place);
// ImportColumns and ImportColumnParts are Import and
// ImportParts with the attributes by position, as a CSV file's columns
// hold them (no map per version); each applies all of it or nothing.
// eventfile.Load of a CSV file into an empty store fills the store's table
// itself, block by block, as its blocks are parsed. It is
// safe for concurrent use: applies and imports take a write lock, scans and
// evaluations a read lock. The functions a store runs under its lock (those
// given to Scan, ReadTable, Import, ImportColumns and ImportParallel) must
// not call the store's methods: such a call hangs, a write at once and a
// read as soon as another goroutine waits to write. A scan's function that
// finds events to change keeps them, and the host applies the changes
// after Scan returns.
// Its tests run adaptertest.TestSource through each of its write paths.
package memory

// Package colstore is goalkit's in-memory columnar event table: events split
// by kind into segments, strings dictionary-coded, amounts held as int64 minor
// units, and each event's local date computed once at load in the table's
// time zone. The evaluation kernels of package kpi run over it; the memory
// adapter and every scan of a foreign Source build one.
//
// A version comes in as an Input (ApplyReplacing) or, read in place without
// a copy, as a Version with the attribute values and dictionary codes its
// caller's check found (ApplyVersion: a live tracker checks each event
// against the table's dictionaries once, Table.Known, and hands the codes
// over rather than have the table look the strings up again).
//
// A table that copies aside (CopyAside: a live tracker's) grows its times
// and ids into new memory at once and has another goroutine copy the rows
// before (aside.go); its readers call Settle first.
//
// A Table is not safe for concurrent mutation; callers synchronise.
package colstore

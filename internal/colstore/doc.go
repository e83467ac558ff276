// Package colstore is goalkit's in-memory columnar event table: events split
// by kind into segments, strings dictionary-coded, amounts held as int64 minor
// units, and each event's local date computed once at load in the table's
// time zone. The evaluation kernels of package kpi run over it; the memory
// adapter and every scan of a foreign Source build one.
//
// A Table is not safe for concurrent mutation; callers synchronise.
package colstore

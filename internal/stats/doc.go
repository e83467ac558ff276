// Package stats holds the exact statistics goalkit's engines share:
// percentiles of decimal values, interpolated as PostgreSQL's
// percentile_cont.
package stats

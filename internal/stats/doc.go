// Package stats holds the descriptive statistics goalkit's reports share:
// percentiles with PostgreSQL's percentile_cont interpolation and Pearson's
// correlation coefficient, both on exact decimals.
package stats

// Package forecast holds the maths of goalkit's probabilistic forecast: the
// distribution of a period's final value drawn from the daily increments of
// earlier periods, and the summaries read from it (the chance of reaching a
// target and quantiles of the final value). It knows nothing of plans,
// goals or events: package goal turns a goal instance into an Input.
//
// The method is a two-stage (hierarchical) bootstrap, described with its
// reasons in docs/forecast.md: each simulated path first picks one period
// (an earlier one, weighted to the recent, or the current one with the
// probability of the share of its working time already passed), then draws
// every remaining day's increment from that period's days of the same kind
// (working day or day off). Sums are kept in scaled integers, so a path's
// final value is exact, and a given seed gives the same distribution on
// every machine.
package forecast

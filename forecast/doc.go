// Package forecast holds the maths of goalkit's forecasts and their
// results. It knows nothing of plans, goals or events: package goal turns
// a goal instance into the inputs read here and reports what comes out.
//
// The probabilistic forecast ([Simulate]) draws the distribution of a
// period's final value from the daily increments of earlier periods; a
// [Chance] sums it up for a goal's row (the probability of reaching the
// target and quantiles of the final value, written with [FormatChance]).
// The method is a two-stage (hierarchical) bootstrap, described with its
// reasons in docs/forecast.md: each simulated path first picks one period
// (an earlier one, weighted to the recent, or the current one with the
// probability of the share of its working time already passed), then draws
// every remaining day's increment from that period's days of the same kind
// (working day or day off). Sums are kept in scaled integers, so a path's
// final value is exact, and a given seed gives the same distribution on
// every machine.
//
// A seasonal [Profile] ([LearnProfile]) is the share of its total a period
// had reached at each point of it, from earlier periods: the pace of a
// seasonal goal and the seasonal forecast; a [Share] is the exact part of a
// target expected by an instant.
//
// A [Backtest] scores forecast methods against what really happened: a
// [Scorer] takes each replayed [Case] and gives every method's mean
// absolute error, Brier score and reliability table ([MethodScore]), and
// [Best] picks the method to name. A [Suggestion] is a proposed target with
// how it was reached, from the [Percentile] of earlier results.
package forecast

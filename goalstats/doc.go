// Package goalstats says how well the goals of a report work, as the
// plan's goal_stats asks: how many goal instances were achieved, failed or
// are still open (overall, by goal, by type, by team and by period, with the
// change of the share achieved from one period to the next), how long
// achieving took (from each instance's start to the instant the events met
// its target, goal.Row.AchievedAt: median and 90th percentile as
// PostgreSQL's percentile_cont), and how each KPI moves with a declared
// business result (Pearson's correlation over people × periods, with the
// number of points it rests on).
//
// Summarize tallies the rows of a goal.Result; Correlate reads a
// kpi.Result. Both are pure functions of their input, so a viewer's report
// recomputes them from what the viewer may see. See docs/goal-stats.md.
package goalstats

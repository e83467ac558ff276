// Package goalkit is an embeddable engine for sales and operations goals and
// KPI scorecards. A host hands it definitions (what to measure, targets,
// weights, periods, who) and business events, and gets back exact,
// explainable, reproducible values: progress, pace, forecasts, scores,
// bonuses, rankings and notifications.
//
// The flow: a Definition (Go structs, or a YAML/JSON plan file read with
// ParseDefinition or ReadDefinition) is compiled into an immutable Plan;
// Compile reports every problem of the definition at once, each with its
// path and, for a file, its line. Then either
//
//   - batch: Plan.Evaluate computes a Report from any kpi.Source, reading it
//     once: indicator values, goals (progress, status, notifications),
//     scorecards with bonuses, leaderboards and badges, and cascades;
//   - live: Plan.Track keeps the same numbers up to date as events arrive,
//     replays what was known at an earlier instant, and emits notifications
//     once each through the host's store.
//
// Both give the same numbers on the same final events. Every value can be
// explained (Plan.Explain). Reports are written as JSON (the report format of
// docs/formats.md), CSV or a table.
//
// The packages below do the work: period (calendars), formula (the
// expression language), kpi (events, indicators, evaluation, live
// tracking), score (scorecards, bonuses, leaderboards), goal, cascade,
// forecast and goalstats; goalkittest checks a plan's invariants for
// testers; adapters connect storage (memory, event files, SQLite,
// PostgreSQL) and CRMs (Bitrix24).
package goalkit

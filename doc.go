// Package goalkit is an embeddable engine for sales and operations goals and
// KPI scorecards. A host hands it definitions (what to measure, targets,
// weights, periods, who) and business events, and gets back exact,
// explainable, reproducible values.
//
// The flow: a Definition (Go structs, or a YAML/JSON plan file read with
// ReadDefinition) is compiled into an immutable Plan, which reports every
// problem of the definition at once, each with its path. Plan.Evaluate then
// computes a Report from any kpi.Source in one pass.
//
// The packages below do the work: period (calendars), formula (the
// expression language), kpi (events, indicators, evaluation), goal and
// cascade; adapters connect storage.
package goalkit

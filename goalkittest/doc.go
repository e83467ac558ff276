// Package goalkittest is a property-test kit for goalkit plans, built on
// pgregory.net/rapid: generators of everything a host hands the engine
// (calendars, periods, events and event streams with corrections,
// retractions and duplicates, streams shaped by a plan, directories with
// moves, random valid plans) and ready-made checks of a plan's invariants.
//
// A host checks its own plan from its own tests:
//
//	func TestPlan(t *testing.T) {
//		plan := goalkittest.ReadPlan(t, "plan.yaml")
//		goalkittest.CheckPlan(t, plan, goalkittest.CheckOptions{})
//	}
//
// ReadPlan reads and compiles a plan file, CompilePlan a plan written in
// the test; either fails the test with the plan's problems.
//
// CheckPlan runs each property of Properties as a subtest with rapid.Check:
// live tracking equals batch evaluation, results do not depend on the order
// of events, duplicates count once, a retraction undoes its event, scores and
// bonuses never decrease when a KPI gets better, splits and pools add back
// exactly, cascade roll-ups equal direct evaluation, and no formula of the
// plan panics (nor, with CheckOptions.RequireDefined, yields undefined from
// defined inputs). A failure is shrunk by rapid to a minimal counterexample
// and reported as a plan file and an NDJSON event file (docs/formats.md) that
// reproduce it with `goalkit eval`.
//
// How many cases each property runs is rapid's -rapid.checks flag (default
// 100); -rapid.seed replays a run. Run runs the properties outside `go test`
// (the goalkit check command does) and returns their outcomes.
//
// The kit reads no clock: evaluations are as of CheckOptions.AsOf, by
// default the end of the plan's last report period.
//
// The generators (Calendars, Periods, Instants, Events, Stream, Reorder)
// serve a host's own properties too: a Shape says what events look like
// and which edge cases a stream holds (negative, high-precision and huge
// amounts, events without an actor or a currency, attributes of every
// type, instants on period boundaries and DST transitions and in other
// zones, corrections, retractions before and after their event,
// duplicates, late redeliveries). goalkit's own engine properties and the
// adapters' conformance suites (adapters/adaptertest) draw from them.
//
// Workload is the standard benchmark workload, the deterministic CRM event
// stream behind goalkit's published figures, and WorkloadPlan its plan: a
// host benchmarks its own store, source or plan on the same events.
package goalkittest

// Package kpi turns business events into exact indicator values: the event
// model, the Source interface hosts implement, the columnar Table every
// evaluation reads, indicators and their batch evaluation, explanations and
// live tracking. Scorecards and rewards over indicator values are package
// score.
//
// # Events and sources
//
// An Event is one business fact with an ID, a Kind, an instant, an Actor
// (who is credited), an optional exact Amount and Currency, and attributes.
// The ID, Kind, Actor, Currency and attribute names are identifiers: valid
// UTF-8 without control characters (Event.Validate; every store refuses an
// event that breaks this). Attribute values are data and may hold any text.
// The same ID again is a correction that replaces the earlier version (kind
// and time may change too); a Deleted event retracts it. A Source hands over
// the current version of every live event; adapters/memory is the embedded
// one, and adapters/eventfile reads NDJSON and CSV files. Two optional
// capabilities let a source do more, in the manner of database/sql/driver:
// TableSource (the events already held in a Table, evaluated in place) and
// Pusher (a database that aggregates where the events are).
//
// An event carries at most MaxEventAttrs attributes (64), and a Table, so a
// store or a Tracker, at most MaxAttrNames distinct attribute names (1,024);
// Validate, Table.Apply, Table.Import and Table.CheckNames (a batch) refuse
// what passes them, with an error that names the event. Within them a
// Table's memory is linear in its events: an attribute that few events carry
// is stored for those events only.
//
// # One snapshot per report
//
// Snapshot reads a Source once into a Table (a TableSource's own table in
// place, under its lock; any other source by one Scan), and every engine of
// one report (indicators here, scorecards in score, goals, cascades) reads
// that same Table, so a report never mixes two states of a live source.
// Set.Evaluate is the one-call form for indicators alone.
//
// # Indicators
//
// An indicator aggregates (count, sum, avg, min, max, distinct, median,
// percentile) a value over
// the events of some kinds that pass a filter, or is a formula over other
// indicators of the same participant and period (conversion = won / created;
// growth with prev()). Compile checks every definition and formula
// at once and orders formulas by what they read, rejecting cycles.
//
// Set.Evaluate computes every indicator for every actor, for the requested
// groups (teams, with fixed or dated memberships) and for org.Everyone ("*"), in
// each requested period of a period.Calendar. A group's values come from its
// members' events, never from their values, so a team's conversion is
// Σwon / Σcreated. Count and sum of nothing are 0; avg, min and max of nothing,
// and x / 0, are undefined. Amounts in several currencies are not added: an
// indicator with a Currency converts them through Rates by its RatePolicy,
// counts an amount with no rate but lists it as Unpriced, and an indicator
// without one reports the mix as a Warning with an undefined value.
//
// Events are held column by column and
// split by kind; a filter of a simple shape (equality, in-lists, numeric
// comparisons, and/or/not) runs as vector operations over truth tables of the
// dictionary codes, computed by formula's reference interpreter so that the
// fast path has the language's semantics by construction; amounts are summed
// as int64 minor units in 128-bit accumulators; the scan runs on up to
// GOMAXPROCS goroutines (Request.Workers), fewer on a small table.
//
// An indicator declared with By (event attributes) is also broken down:
// Result.Rows gives a row (Row.By) for each participant, period and
// combination of the attributes' values that the participant's counted
// events carry, a formula's from its own components, with an optional Top
// and an "other" row computed from the rest. The indicators of one By list
// and what they read are evaluated together over virtual participants, one
// for each actor and combination met, by the same kernel. Median and
// Percentile interpolate as PostgreSQL's percentile_cont, exactly. An
// aggregate with ToDate or Window is cumulative: its value in a period
// merges the day cells of a second scan over the window that ends with the
// period. A Cohort indicator counts each entity's first conversion in the
// period, and for the actor, of the entity's first cohort event.
//
// Set.Explain tells how one value came about, from a Table: the events in
// it, and the events of the same kinds that were left out, with the reason.
//
// # Live tracking
//
// A Tracker (Set.Track) keeps the same values up to date as events arrive:
// new events, corrections, retractions and duplicates, one at a time or in
// batches applied whole or not at all. Counts, sums and averages change in
// O(1); minima, maxima and distinct counts keep counted structures so that a
// retraction is exact. Reads give the same Result as a batch evaluation of
// the final events; AsKnownAt replays what was known at an earlier instant.
// Its state goes to a host's TrackStore. When the store is a
// TrackSnapshotter, Tracker.Snapshot saves the tracker's events and log in
// a versioned binary form, and a tracker started on the store restores the
// latest snapshot, rebuilds its aggregates for its own plan (which may have
// changed since) and applies only the batches committed after it.
//
// Reads run beside Apply: once an Apply meets a read under way, reads go
// to a replica of the tracker's state that they bring up to date with the
// batches committed, read from a frozen view of the writer's table, so the
// writer never waits for them (the tracker then holds its events twice).
// ReadResult hands a read the values and the
// table of the same batches; Follow tells a host (a goalkit.Tracker's
// goals) of each batch where the reads take it in.
//
// Everything compiled is immutable and safe for concurrent use.
package kpi

// Package score turns indicator values into judgements and rewards: the one
// achievement rule (Achieve: actual against target for a Direction, a ratio),
// scoring curves, weighted scorecards with critical gates, bonus schemes
// (payout curves, progressive tiers, penalties, team pools split to the
// minor unit by Split), leaderboards and competitions ranked by Rank, and
// badges.
//
// Compile builds a Scoring over a kpi.Set from Defs; Scoring.Evaluate scores
// every scorecard from the events of a kpi.Table (a kpi.Snapshot that the
// other engines of the report read too) and computes the bonuses,
// leaderboards, badges and competitions. Goals and cascades use Direction,
// Achieve, Split and Rank from here, so a scorecard, a goal and a cascade
// node never disagree on the same numbers. See docs/scorecards.md.
//
// Everything compiled is immutable and safe for concurrent use.
package score

// Package kpi turns business events into exact indicator values: the event
// model, the Source interface hosts implement, indicators and their batch
// evaluation, scorecards, bonus schemes, leaderboards and badges.
package kpi

package sample

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/score"
)

// Conversion returns a plan file of the sample (Plan) with one more
// scorecard, conversion, of the conversion indicator (won / deals * 100),
// and a leaderboard, conversion, of its actual: a person with a card and no
// deal created has no conversion, and stands unranked (rank 0) on it.
func Conversion(plan []byte) ([]byte, error) {
	for _, add := range [][2]string{
		{"scorecards:\n", "  - id: conversion\n    grain: month\n    kpis:\n      - {indicator: conversion, target: 50, weight: 100}\n"},
		{"leaderboards:\n", "  - {id: conversion, scorecard: conversion, kpi: conversion, metric: actual}\n"},
	} {
		if !bytes.Contains(plan, []byte(add[0])) {
			return nil, fmt.Errorf("the plan has no %q", add[0])
		}
		plan = bytes.Replace(plan, []byte(add[0]), []byte(add[0]+add[1]), 1)
	}
	return plan, nil
}

// Boards returns the sample (Report) with the conversion board
// (Conversion) and a fourth person, dima, whose only event is a call: he
// stands unranked on conversion (no deal created), and last on the others.
// top_revenue is cut to its top 2 (vera and boris of the four it ranks),
// and sales_total has a top 4 of exactly its four ranked: not cut.
func Boards(tb testing.TB) (*goalkit.Plan, *goalkit.Report) {
	tb.Helper()
	plan, err := Conversion(Plan())
	if err != nil {
		tb.Fatal(err)
	}
	for old, cut := range map[string]string{
		"{id: sales_total, scorecard: sales}":                               "{id: sales_total, scorecard: sales, top: 4}",
		"{id: top_revenue, scorecard: sales, kpi: revenue, metric: actual}": "{id: top_revenue, scorecard: sales, kpi: revenue, metric: actual, top: 2}",
	} {
		if !bytes.Contains(plan, []byte(old)) {
			tb.Fatalf("the sample plan has no %s", old)
		}
		plan = bytes.Replace(plan, []byte(old), []byte(cut), 1)
	}
	events := append(Events(), `{"id": "dima1", "kind": "call", "time": "2025-03-05T10:00:00+03:00", "actor": "dima"}`+"\n"...)
	p, rep, err := Evaluate(plan, events, AsOf)
	if err != nil {
		tb.Fatal(err)
	}
	return p, rep
}

// Board is the board of rep of the same leaderboard and period as b (of
// the whole report RandomBoards returns, for a board of its report), and
// whether rep has it.
func Board(rep *goalkit.Report, b score.Board) (score.Board, bool) {
	if rep.Scores != nil {
		for _, w := range rep.Scores.Leaderboards {
			if w.Leaderboard == b.Leaderboard && w.Label == b.Label {
				return w, true
			}
		}
	}
	return score.Board{}, false
}

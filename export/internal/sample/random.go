package sample

import (
	"fmt"
	"strings"

	"github.com/goalkit/goalkit"
	"pgregory.net/rapid"
)

// RandomBoards evaluates the sample plan (its goals, scorecard, bonus,
// leaderboards and cascade) with the conversion board (Conversion) over a
// random stream of its events as of AsOf: calls, deals created and deals
// won by anna, boris, vera and dima (who has no goal), on 1 to 20 March,
// of amounts whole, of two places, or of more digits than a double holds;
// each leaderboard is cut to a random top (0: none), and a person with a
// card and no deal created stands unranked on conversion. It returns the
// plan, its report, and the report of the same events by the plan without
// its tops, whose boards are whole: every standing, ranked or not, of
// which the report's cut boards keep the first ranks. The reports have no
// daily series: the charts they draw are not what a property of the
// numbers reads.
func RandomBoards(t *rapid.T) (*goalkit.Plan, *goalkit.Report, *goalkit.Report) {
	full, err := Conversion(planYAML)
	if err != nil {
		t.Fatal(err)
	}
	plan := string(full)
	for _, board := range []string{"sales_total, scorecard: sales", "top_revenue, scorecard: sales, kpi: revenue, metric: actual", "conversion, scorecard: conversion, kpi: conversion, metric: actual"} {
		if top := rapid.IntRange(0, 4).Draw(t, "top of "+board[:strings.Index(board, ",")]); top > 0 {
			plan = strings.Replace(plan, "{id: "+board+"}", fmt.Sprintf("{id: %s, top: %d}", board, top), 1)
		}
	}
	var events strings.Builder
	for i := range rapid.IntRange(0, 40).Draw(t, "events") {
		kind := rapid.SampledFrom([]string{"call", "deal.created", "deal.won"}).Draw(t, "kind")
		actor := rapid.SampledFrom([]string{"anna", "boris", "vera", "dima"}).Draw(t, "actor")
		at := fmt.Sprintf("2025-03-%02dT%02d:%02d:00+03:00", rapid.IntRange(1, 20).Draw(t, "day"), rapid.IntRange(0, 17).Draw(t, "hour"), rapid.IntRange(0, 59).Draw(t, "minute"))
		fmt.Fprintf(&events, `{"id": "e%d", "kind": %q, "time": %q, "actor": %q`, i, kind, at, actor)
		if kind == "deal.won" {
			amount := fmt.Sprint(rapid.IntRange(0, 500000).Draw(t, "amount"))
			switch rapid.IntRange(0, 2).Draw(t, "scale") {
			case 1:
				amount += fmt.Sprintf(".%02d", rapid.IntRange(0, 99).Draw(t, "cents"))
			case 2:
				amount += fmt.Sprintf("%015d.%02d", rapid.Int64Range(0, 1e15-1).Draw(t, "huge"), rapid.IntRange(0, 99).Draw(t, "cents"))
			}
			fmt.Fprintf(&events, `, "amount": %q, "currency": "RUB"`, amount)
		}
		events.WriteString("}\n")
	}
	p, rep, err := evaluate([]byte(plan), []byte(events.String()), AsOf)
	if err != nil {
		t.Fatal(err)
	}
	_, whole, err := evaluate(full, []byte(events.String()), AsOf)
	if err != nil {
		t.Fatal(err)
	}
	return p, rep, whole
}

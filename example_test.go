package goalkit_test

import (
	"context"
	"os"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// A plan file, a few events, a report.
func Example() {
	def, err := goalkit.ParseDefinition("plan.yaml", []byte(`
timezone: Europe/Berlin
indicators:
  - {id: created, kinds: [deal.created], aggregate: count}
  - {id: won, kinds: [deal.won], aggregate: count}
  - {id: conversion, formula: won / created}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`))
	if err != nil {
		panic(err)
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		panic(err)
	}
	berlin := plan.Calendar().Location()
	store := memory.New(berlin)
	_ = store.Apply(
		kpi.Event{ID: "1", Kind: "deal.created", Actor: "u1", Time: time.Date(2025, 3, 3, 9, 0, 0, 0, berlin)},
		kpi.Event{ID: "2", Kind: "deal.created", Actor: "u1", Time: time.Date(2025, 3, 31, 23, 30, 0, 0, berlin)},
		kpi.Event{ID: "3", Kind: "deal.won", Actor: "u1", Time: time.Date(2025, 3, 20, 12, 0, 0, 0, berlin)},
		// 1 April 00:30 in Berlin, still 31 March in UTC: an April event.
		kpi.Event{ID: "4", Kind: "deal.created", Actor: "u1", Time: time.Date(2025, 3, 31, 22, 30, 0, 0, time.UTC)},
	)
	rep, err := plan.Evaluate(context.Background(), store, time.Date(2025, 4, 1, 0, 0, 0, 0, berlin))
	if err != nil {
		panic(err)
	}
	_ = rep.WriteCSV(os.Stdout)
	// Output:
	// indicator,participant,period,period_start,period_end,value
	// created,u1,2025-03,2025-03-01,2025-04-01,2
	// created,*,2025-03,2025-03-01,2025-04-01,2
	// won,u1,2025-03,2025-03-01,2025-04-01,1
	// won,*,2025-03,2025-03-01,2025-04-01,1
	// conversion,u1,2025-03,2025-03-01,2025-04-01,0.5
	// conversion,*,2025-03,2025-03-01,2025-04-01,0.5
}

package goalkit_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
)

// A tracker's reports after more versions than a narrowed report takes its
// rows from (goal.maxNarrowed, 256) or than the goals' Memo keeps
// (maxChanges, 65536), full or narrowed, at the instant of the last
// report and a moment later, are fresh evaluations'.
func TestTrackerReportsAfterManyChanges(t *testing.T) {
	if testing.Short() {
		t.Skip("many applies")
	}
	ctx := context.Background()
	plan := compile(t, parseDef(t, `timezone: Europe/Berlin
indicators:
  - id: calls
    kinds: [call]
    aggregate: count
report: {grain: week, from: 2025-03-03, to: 2025-04-07}
goals:
  - id: g
    indicator: calls
    target: 40
    period: {from: 2025-03-03, every: week}
    participants: {company: true, mode: each}
  - id: h
    indicator: calls
    target: 500
    period: {from: 2025-03-01, every: month}
    participants: {company: true}
`))
	tr := startTracker(t, plan)
	loc := plan.Calendar().Location()
	start := time.Date(2025, 3, 3, 0, 0, 0, 0, loc)
	rng := rand.New(rand.NewPCG(3, 4))
	event := func(i int) kpi.Event {
		return kpi.Event{ID: fmt.Sprint("e", rng.IntN(i+1)), Kind: "call", Actor: fmt.Sprint("u", rng.IntN(40)),
			Time: start.Add(time.Duration(rng.IntN(30*24*60)) * time.Minute)}
	}
	at := start.Add(20 * 24 * time.Hour)
	check := func(what string, opts ...goalkit.EvalOption) {
		t.Helper()
		sameAsFresh(t, plan, tr, at, nil, opts, fmt.Sprintf("%s at %s", what, at))
	}
	for i := range 200 {
		if err := tr.Apply(ctx, event(i)); err != nil {
			t.Fatal(err)
		}
	}
	check("full")
	for _, n := range []int{100, 300, 70000} {
		for i := range n {
			if err := tr.Apply(ctx, event(200+i)); err != nil {
				t.Fatal(err)
			}
		}
		check(fmt.Sprintf("narrowed after %d versions", n), goalkit.WithOnlyParticipant("u7"))
		at = at.Add(time.Second)
		check(fmt.Sprintf("narrowed a second later after %d versions", n), goalkit.WithOnlyParticipant("u8"))
		check(fmt.Sprintf("full after %d versions", n))
		at = at.Add(time.Hour)
		check(fmt.Sprintf("full an hour later after %d versions", n))
		check(fmt.Sprintf("company after %d versions", n), goalkit.WithOnlyParticipant("*"))
	}
}

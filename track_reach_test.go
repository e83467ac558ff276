package goalkit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// A tracker's report takes from the last one the rows whose events did
// not change: a row reads the events of its period, of the periods its
// Previous and its target formula's prev() read, and of the period a year
// before, each widened by its indicator's own prev(). Whatever the goal's
// reach (prev() of one to three periods in the target and in the
// indicator), over two years of events, reports after a few versions
// dated anywhere (new events, corrections, retractions) are fresh
// evaluations'.
func TestTrackerReportsKeepRowsOutsideTheirReach(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		grain := rapid.SampledFrom([]string{"month", "week", "quarter"}).Draw(t, "grain")
		lookback := rapid.IntRange(1, 3).Draw(t, "lookback")
		indicator := rapid.SampledFrom([]string{"calls", "trend"}).Draw(t, "indicator")
		target := "target: 3"
		if rapid.Bool().Draw(t, "targetFormula") {
			target = fmt.Sprintf("target: 3\n    target_formula: prev(%s, %d) + 1", indicator, rapid.IntRange(1, 3).Draw(t, "targetBack"))
		}
		participants := rapid.SampledFrom([]string{"{users: [u1, u2, u3]}", "{company: true}", "{company: true, mode: each}"}).Draw(t, "participants")
		notify := ""
		if rapid.Bool().Draw(t, "notify") {
			notify = "\n    notify: [{on: achieved}, {on: at_risk}]"
		}
		plan := compile(t, parseDef(t, fmt.Sprintf(`timezone: UTC
indicators:
  - id: calls
    kinds: [call]
    aggregate: count
  - id: trend
    formula: calls - prev(calls, %d)
report: {grain: %s, from: 2024-01-01, to: 2026-01-01}
goals:
  - id: g
    indicator: %s
    %s
    period: {from: 2024-01-01, every: %s}
    participants: %s%s
`, lookback, grain, indicator, target, grain, participants, notify)))
		tr := startTracker(t, plan)
		start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		const span = 2 * 365 * 24 * time.Hour
		versions := reachVersions(t, start, span, []string{"call"}, false)
		if err := tr.Apply(ctx, versions("first", 10, 60)...); err != nil {
			t.Fatal(err)
		}
		at := start.Add(time.Duration(rapid.Int64Range(int64(span/time.Hour)/2, int64(span/time.Hour)).Draw(t, "at")) * time.Hour)
		check := func(what string) {
			sameAsFresh(t, plan, tr, at, nil, nil, fmt.Sprintf("%s, as of %s,", what, at))
		}
		check("first report")
		for i := range rapid.IntRange(1, 6).Draw(t, "steps") {
			if err := tr.Apply(ctx, versions("later", 1, 3)...); err != nil {
				t.Fatal(err)
			}
			if rapid.IntRange(0, 3).Draw(t, "move") == 0 {
				at = at.Add(time.Duration(rapid.IntRange(1, 48).Draw(t, "hours")) * time.Hour)
			}
			check(fmt.Sprintf("report %d", i+2))
		}
	})
}

// reachVersions returns a drawer of batches of the reach tests' event
// versions, least to most of them a batch: each a new event of one of kinds
// by one of u1 to u4 at a whole hour of [start, start+span), known when it
// happens or (withKnown) now and then up to 90 days later; or, one time in
// four, a version of an event drawn before (a correction, or a
// retraction). label names the draws.
func reachVersions(t *rapid.T, start time.Time, span time.Duration, kinds []string, withKnown bool) func(label string, least, most int) []kpi.Event {
	n := 0
	event := func(label string) kpi.Event {
		e := kpi.Event{Kind: rapid.SampledFrom(kinds).Draw(t, label+"Kind"), Actor: rapid.SampledFrom([]string{"u1", "u2", "u3", "u4"}).Draw(t, label+"Actor"),
			Time: start.Add(time.Duration(rapid.Int64Range(0, int64(span/time.Hour)).Draw(t, label+"Hour")) * time.Hour)}
		if n > 0 && rapid.IntRange(0, 3).Draw(t, label+"Again") == 0 {
			e.ID = fmt.Sprint("e", rapid.IntRange(0, n-1).Draw(t, label+"Of"))
			e.Deleted = rapid.Bool().Draw(t, label+"Retracted")
			return e
		}
		e.ID = fmt.Sprint("e", n)
		n++
		if withKnown && rapid.IntRange(0, 4).Draw(t, label+"Known?") == 0 {
			e.Known = e.Time.Add(time.Duration(rapid.IntRange(0, 90*24).Draw(t, label+"KnownAfter")) * time.Hour)
		}
		return e
	}
	return func(label string, least, most int) []kpi.Event {
		var batch []kpi.Event
		for range rapid.IntRange(least, most).Draw(t, label+"Versions") {
			batch = append(batch, event(label))
		}
		return batch
	}
}

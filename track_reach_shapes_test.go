package goalkit_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// TestTrackerReportsKeepRowsOutsideTheirReach with what it does not draw:
// goals of any grain (intervals of two months and three weeks, years,
// custom spans), indicators over several indicators (a ratio), prev() of
// prev() (deep: three periods back), cumulative ones (to date, a trailing
// window), one over elapsed(); targets over prev() of other indicators,
// workdays(), days() and elapsed(); users, teams of a directory whose
// members move, the company, each member; notifications since any
// instant, automatic closes with freeze and restate, ticks that close
// instances, versions known later, in three zones. A tracker's reports
// after each batch (full, narrowed to a participant, or with the daily
// series), at instants that move on by hours or weeks, are fresh
// evaluations' of its events and records. (A running formula, one that
// reads its own prev(), is left to
// TestTrackerReportsKeepRowsOfRunningFormulasOutsideReach.)
func TestTrackerReportsKeepRowsOutsideTheirReachAnyShape(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		every := rapid.SampledFrom([]struct{ grain, report string }{{"month", "month"}, {"week", "week"}, {"quarter", "quarter"},
			{"year", "year"}, {"month, interval: 2", "month"}, {"week, interval: 3", "week"}}).Draw(t, "every")
		// The plan's indicators: those of a goal's view widen the reach of
		// every goal (deep: three periods back) or do away with it
		// (cumulative ones), so each is drawn.
		indicators := `  - id: calls
    kinds: [call]
    aggregate: count
  - id: wins
    kinds: [win]
    aggregate: count
  - id: ratio
    formula: wins / calls
`
		ids := []string{"calls", "wins", "ratio"}
		deep := rapid.Bool().Draw(t, "deep")
		if deep {
			indicators += `  - id: step
    formula: calls - prev(calls)
  - id: deep
    formula: prev(step, 2)
`
			ids = append(ids, "deep")
		}
		if rapid.IntRange(0, 3).Draw(t, "cumulative") == 0 {
			indicators += `  - id: ytd
    kinds: [call]
    aggregate: count
    to_date: year
  - id: roll
    kinds: [win]
    aggregate: count
    window: 2 months
`
			ids = append(ids, "ytd", "roll")
		}
		if rapid.IntRange(0, 3).Draw(t, "clock") == 0 {
			indicators += `  - id: share
    formula: calls / elapsed()
`
			ids = append(ids, "share")
		}
		indicator := rapid.SampledFrom(ids).Draw(t, "indicator")
		target := "target: 3"
		switch rapid.IntRange(0, 4).Draw(t, "targetKind") {
		case 1:
			target = "target: 3\n    target_formula: prev(wins, 1) + 1"
		case 2:
			if deep {
				target = "target: 3\n    target_formula: prev(deep, 1) + 1"
			}
		case 3:
			target = "target: 3\n    target_formula: prev(ratio, 2) * workdays() + days() * elapsed()"
		case 4:
			target = "target: 3\n    target_formula: coalesce(prev(wins, 3), 1) + coalesce(prev(calls, 1), 2)"
		}
		participants := rapid.SampledFrom([]string{"{users: [u1, u2, u3]}", "{company: true}", "{company: true, mode: each}", "{teams: [d1, d2]}", "{teams: [d1, d2], mode: each}"}).Draw(t, "participants")
		extra := rapid.SampledFrom([]string{"", "\n    notify: [{on: achieved}, {on: at_risk}, {on: failed}, {on: period_closed}, {on: milestone_reached}]\n    milestones: [50%, 100%]",
			"\n    pace: workdays\n    forecast: workdays", "\n    close: {auto: true, after_days: 2}\n    notify: [{on: achieved}, {on: failed}, {on: period_closed}]",
			"\n    close: {auto: true, after_days: 40, corrections: restate}\n    notify: [{on: achieved}, {on: failed}, {on: period_closed}]",
			"\n    close: {auto: true, after_days: 40}\n    notify: [{on: achieved}, {on: failed}, {on: period_closed}]"}).Draw(t, "extra")
		periodYAML := "{from: 2024-01-01, every: " + every.grain + "}"
		if rapid.IntRange(0, 3).Draw(t, "custom") == 0 {
			periodYAML = rapid.SampledFrom([]string{"{from: 2024-03-01, to: 2024-06-15}", "{from: 2025-02-10, to: 2025-03-20}", "{from: 2024-01-01, to: 2025-12-31}"}).Draw(t, "customPeriod")
		}
		zone := rapid.SampledFrom([]string{"UTC", "America/New_York", "Asia/Tokyo"}).Draw(t, "zone")
		plan := compile(t, parseDef(t, fmt.Sprintf(`timezone: %s
indicators:
%sreport: {grain: %s, from: 2024-01-01, to: 2026-01-01}
goals:
  - id: g
    indicator: %s
    %s
    period: %s
    participants: %s%s
`, zone, indicators, every.report, indicator, target, periodYAML, participants, extra)))
		var opts []goalkit.EvalOption
		if rapid.Bool().Draw(t, "directory") {
			dir := goalkittest.Directories([]string{"u1", "u2", "u3", "u4"}, date.New(2024, 1, 1), date.New(2026, 1, 1)).Draw(t, "dir")
			_ = dir.AddUnit(org.Unit{ID: "d2"})
			opts = append(opts, goalkit.WithDirectory(dir))
		} else if strings.Contains(participants, "teams") {
			return // teams need a directory
		}
		start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		const span = 2 * 365 * 24 * time.Hour
		if rapid.Bool().Draw(t, "since") {
			opts = append(opts, goalkit.WithNotificationsSince(start.Add(time.Duration(rapid.Int64Range(0, int64(span/time.Hour)).Draw(t, "sinceHour"))*time.Hour)))
		}
		tr := startTracker(t, plan, opts...)
		versions := reachVersions(t, start, span, []string{"call", "win"}, true)
		if err := tr.Apply(ctx, versions("first", 10, 40)...); err != nil {
			t.Fatal(err)
		}
		at := start.Add(time.Duration(rapid.Int64Range(int64(span/time.Hour)/2, int64(span/time.Hour)).Draw(t, "at")) * time.Hour)
		check := func(what string) {
			recs, err := trackerRecords(tr)
			if err != nil {
				t.Fatal(err)
			}
			var ropts []goalkit.EvalOption
			switch rapid.IntRange(0, 3).Draw(t, "report") {
			case 0:
				ropts = append(ropts, goalkit.WithOnlyParticipant(rapid.SampledFrom([]string{"u1", "u2", "u3", "u4"}).Draw(t, "only")))
			case 1:
				ropts = append(ropts, goalkit.WithSeries())
			}
			sameAsFresh(t, plan, tr, at, append(slices.Clone(opts), goalkit.WithRecords(recs...)), ropts, fmt.Sprintf("%s, as of %s,", what, at))
		}
		check("first report")
		for i := range rapid.IntRange(1, 3).Draw(t, "steps") {
			if err := tr.Apply(ctx, versions("later", 1, 3)...); err != nil {
				t.Fatal(err)
			}
			switch rapid.IntRange(0, 5).Draw(t, "move") {
			case 0:
				at = at.Add(time.Duration(rapid.IntRange(1, 48).Draw(t, "hours")) * time.Hour)
			case 1:
				at = at.Add(time.Duration(rapid.IntRange(1, 60*24).Draw(t, "longHours")) * time.Hour)
			case 2:
				if _, err := tr.Tick(ctx, at); err != nil {
					t.Fatal(err)
				}
			}
			check(fmt.Sprintf("report %d", i+2))
		}
	})
}

// A team's row reads the events of its dated members too: u1 belongs to
// d1 until July and to d2 after it, and a call of u1 dated in March,
// applied after the first report, is in d1's March row (and in no month of
// d2), as a fresh evaluation has it.
func TestTrackerReportsFollowTheEventsOfDatedMembers(t *testing.T) {
	ctx := context.Background()
	plan := callsPlan(t, "2024-01-01", "2025-01-01", "    participants: {teams: [d1, d2]}\n")
	dir, err := memory.NewDirectory([]org.Unit{{ID: "d1"}, {ID: "d2"}}, []org.Membership{
		{User: "u1", Unit: "d1", To: date.New(2024, 7, 1)}, {User: "u1", Unit: "d2", From: date.New(2024, 7, 1)}, {User: "u2", Unit: "d1"}})
	if err != nil {
		t.Fatal(err)
	}
	opts := []goalkit.EvalOption{goalkit.WithDirectory(dir)}
	tr := startTracker(t, plan, opts...)
	call := func(id, actor string, m time.Month) kpi.Event {
		return kpi.Event{ID: id, Kind: "call", Actor: actor, Time: time.Date(2024, m, 10, 12, 0, 0, 0, time.UTC)}
	}
	at := time.Date(2024, 12, 15, 0, 0, 0, 0, time.UTC)
	for i, batch := range [][]kpi.Event{{call("a", "u2", 3), call("b", "u1", 9)}, {call("c", "u1", 3)}} {
		if err := tr.Apply(ctx, batch...); err != nil {
			t.Fatal(err)
		}
		rep := sameAsFresh(t, plan, tr, at, opts, nil, fmt.Sprintf("report %d", i+1))
		if i == 1 {
			for _, r := range rep.Goals.Rows {
				if r.Participant == "d1" && r.Label == "2024-03" && r.Actual.Decimal.String() != "2" {
					t.Fatalf("d1's March: %v calls, want 2", r.Actual)
				}
			}
		}
	}
}

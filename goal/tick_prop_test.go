package goal

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// tickPlan is the plan of the tick properties, in New York (the clocks go
// back on 2 November): a monthly count for two people that closes itself a
// day after its end, with every rule; a weekly revenue for three with a
// threshold; and, when level is true, a monthly conversion, a level whose
// value may fall.
func tickPlan(t testing.TB, level bool) (*Set, *period.Calendar) {
	cal := enginetest.Calendar(t, "America/New_York")
	every := []NotifyRule{{On: NotifyMilestoneReached}, {On: NotifyAchieved}, {On: NotifyAtRisk}, {On: NotifyBackOnTrack},
		{On: NotifyDeadlineApproaching, Days: 3}, {On: NotifyDailyDigest}, {On: NotifyFailed}, {On: NotifyPeriodClosed}}
	defs := []Def{
		{ID: "deals", Indicator: "won", Target: dp("6"), Period: PeriodDef{From: d("2025-10-01"), Every: period.Month},
			Participants: ParticipantsDef{Users: []string{"anna", "boris"}}, Notify: every,
			Milestones: []Milestone{{Percent: true, Value: dec("50")}, {Percent: true, Value: dec("100")}},
			Close:      CloseDef{Auto: true, AfterDays: 1}},
		{ID: "revenue", Indicator: "revenue", Target: dp("1000"), Period: PeriodDef{From: d("2025-10-06"), Every: period.Week},
			Participants: ParticipantsDef{Users: []string{"anna", "boris", "vera"}},
			Notify: []NotifyRule{{On: NotifyAtRisk, Threshold: nd("0.9")}, {On: NotifyBackOnTrack, Threshold: nd("0.9")},
				{On: NotifyAchieved}, {On: NotifyFailed}, {On: NotifyDeadlineApproaching, Days: 2}}},
	}
	if level {
		defs = append(defs, Def{ID: "conv", Indicator: "conversion", Target: dp("0.5"), Period: PeriodDef{From: d("2025-10-01"), Every: period.Month},
			Participants: ParticipantsDef{Users: []string{"anna", "boris"}}, Notify: every,
			Milestones: []Milestone{{Percent: true, Value: dec("50")}, {Percent: true, Value: dec("100")}}})
	}
	return mustCompile(t, cal, enginetest.SalesIndicators, defs...), cal
}

// tickEvents draws deals created and won from 20 October to 5 December, by
// the participants and someone else, with non-negative amounts.
func tickEvents(t *rapid.T, cal *period.Calendar) events {
	start := cal.Midnight(d("2025-10-20"))
	span := int(cal.Midnight(d("2025-12-05")).Sub(start) / time.Minute)
	var out events
	for i := range rapid.IntRange(0, 40).Draw(t, "events") {
		e := ev(fmt.Sprint("e", i), rapid.SampledFrom([]string{"deal.won", "deal.created"}).Draw(t, "kind"),
			rapid.SampledFrom([]string{"anna", "boris", "vera", "dora"}).Draw(t, "actor"),
			start.Add(time.Duration(rapid.IntRange(0, span-1).Draw(t, "minute"))*time.Minute))
		if e.Kind == "deal.won" {
			e.Amount = decimal.NewNullDecimal(decimal.NewFromInt(int64(rapid.IntRange(0, 400).Draw(t, "amount"))))
		}
		out = append(out, e)
	}
	return out
}

// tickSchedule draws the instants of a host's ticks, in order, before end:
// any instant, a midnight, the same instant twice.
func tickSchedule(t *rapid.T, cal *period.Calendar, end time.Time) []time.Time {
	start := cal.Midnight(d("2025-10-25"))
	span := int(end.Sub(start) / time.Minute)
	var out []time.Time
	for range rapid.IntRange(0, 8).Draw(t, "ticks") {
		x := start.Add(time.Duration(rapid.IntRange(0, span-1).Draw(t, "tick")) * time.Minute)
		if rapid.Bool().Draw(t, "at midnight") {
			x = cal.Midnight(cal.Date(x))
		}
		out = append(out, x)
	}
	slices.SortFunc(out, time.Time.Compare)
	if len(out) > 0 && rapid.Bool().Draw(t, "twice") {
		out = append(out, out[len(out)-1])
	}
	return append(out, end)
}

// daily is the reference schedule: a tick at every local midnight from the
// start of the range to end, and at end.
func daily(cal *period.Calendar, end time.Time) []time.Time {
	var out []time.Time
	for day := d("2025-10-27"); !cal.Midnight(day).After(end); day++ {
		out = append(out, cal.Midnight(day))
	}
	return append(out, end)
}

// emitted returns the keys a schedule of ticks emits, sorted; the ticker
// fails when one is emitted twice.
func emitted(t *rapid.T, s *Set, src events, schedule []time.Time) []string {
	k := newTicker(s, src, Request{From: d("2025-11-01"), To: d("2025-12-01")})
	var keys []string
	for _, x := range schedule {
		keys = append(keys, keysOf(k.tick(t, x))...)
	}
	slices.Sort(keys)
	return keys
}

// TestTickScheduleFree is the property of the live tick: with the same
// events, the notifications (by key) that any schedule of ticks ending at an
// instant T emits are those of a tick at every local midnight up to T and
// at T, each emitted once. The goals' values only grow here.
func TestTickScheduleFree(t *testing.T) {
	s, cal := tickPlan(t, false)
	rapid.Check(t, func(t *rapid.T) {
		src := tickEvents(t, cal)
		end := cal.Midnight(d("2025-11-20")).Add(time.Duration(rapid.IntRange(0, 20*24*60).Draw(t, "end")) * time.Minute)
		got := emitted(t, s, src, tickSchedule(t, cal, end))
		want := emitted(t, s, src, daily(cal, end))
		if !slices.Equal(got, want) {
			t.Fatalf("the ticks emitted\n%s\nticks at every midnight\n%s", diffKeys(got, want), diffKeys(want, got))
		}
	})
}

// TestTickScheduleFreeLevels: with a level goal, whose value may fall, a
// tick sees what holds at its instant, and the ticks of a schedule emit what
// they would with a tick at every midnight in between as well: the ticks
// between midnights lose nothing.
func TestTickScheduleFreeLevels(t *testing.T) {
	s, cal := tickPlan(t, true)
	rapid.Check(t, func(t *rapid.T) {
		src := tickEvents(t, cal)
		end := cal.Midnight(d("2025-11-20")).Add(time.Duration(rapid.IntRange(0, 20*24*60).Draw(t, "end")) * time.Minute)
		schedule := tickSchedule(t, cal, end)
		dense := append(daily(cal, end), schedule...)
		slices.SortFunc(dense, time.Time.Compare)
		got, want := emitted(t, s, src, schedule), emitted(t, s, src, slices.Compact(dense))
		if !slices.Equal(got, want) {
			t.Fatalf("the ticks emitted\n%s\nwith a tick at every midnight too\n%s", diffKeys(got, want), diffKeys(want, got))
		}
	})
}

// diffKeys lists the keys of a that b lacks.
func diffKeys(a, b []string) string {
	out := ""
	for _, k := range a {
		if !slices.Contains(b, k) {
			out += "  " + k + "\n"
		}
	}
	if out == "" {
		return "  (nothing more)\n"
	}
	return out
}

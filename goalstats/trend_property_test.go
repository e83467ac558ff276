package goalstats

import (
	"math/big"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/period"
	"pgregory.net/rapid"
)

// Property: with goals of weeks, months and quarters side by side, each
// period's tally counts its own rows and its change of the share achieved
// is against the period of its own grain that ends where it starts (a
// week's against the week before, never against a month that ends that
// day), within 2×10⁻¹⁶ of the exact difference of the two quotients
// worked out here; without such a period it has none. The tallies are
// ordered by start, then end.
func TestTrendsOfMixedGrains(t *testing.T) {
	cal := enginetest.Calendar(t, "America/New_York")
	s := mustCompile(t, cal, enginetest.SalesIndicators,
		goal.Def{ID: "g", Indicator: "won", Target: dp("1"), Period: goal.PeriodDef{From: d("2025-01-01"), Every: period.Month}, Participants: goal.ParticipantsDef{Company: true}})
	var periods []period.Period
	for _, g := range []period.Grain{period.Week, period.Month, period.Quarter} {
		ps, _ := cal.Periods(g, d("2025-01-01"), d("2025-07-01"))
		periods = append(periods, ps...)
	}
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(1, 60).Draw(rt, "rows")
		rows := make([]goal.Row, n)
		for i := range rows {
			p := rapid.SampledFrom(periods).Draw(rt, "period")
			rows[i] = goal.Row{Goal: "g", Kind: goal.Company, Participant: "*", Period: p, Label: cal.Label(p),
				Status: rapid.SampledFrom([]goal.Status{goal.Achieved, goal.Failed, goal.OnTrack}).Draw(rt, "status")}
		}
		// share is the exact share achieved of the rows of p, nil when
		// there is none.
		share := func(p period.Period) *big.Rat {
			var in, ach int64
			for _, r := range rows {
				if r.Period == p {
					in++
					if r.Status == goal.Achieved {
						ach++
					}
				}
			}
			if in == 0 {
				return nil
			}
			return big.NewRat(ach, in)
		}
		st := Summarize(s, pointers(rows), nil)
		tallied := 0
		for i, tl := range st.ByPeriod {
			tallied += tl.Instances
			if i > 0 {
				prev := st.ByPeriod[i-1].Period
				if tl.Period.Start < prev.Start || tl.Period.Start == prev.Start && tl.Period.End <= prev.End {
					rt.Fatalf("%s after %s", tl.Label, cal.Label(prev))
				}
			}
			var before *big.Rat
			for _, p := range periods {
				if p.Grain == tl.Period.Grain && p.End == tl.Period.Start {
					before = share(p)
				}
			}
			if before == nil {
				if tl.AchievedShareChange.Valid {
					rt.Fatalf("%s: a change %s with no %s before it", tl.Label, tl.AchievedShareChange.Decimal, tl.Period.Grain)
				}
				continue
			}
			if !tl.AchievedShareChange.Valid {
				rt.Fatalf("%s: no change, yet the %s before it has rows", tl.Label, tl.Period.Grain)
			}
			want := new(big.Rat).Sub(share(tl.Period), before)
			off := new(big.Rat).Abs(new(big.Rat).Sub(tl.AchievedShareChange.Decimal.Rat(), want))
			if off.Cmp(big.NewRat(2, 1e16)) > 0 {
				rt.Fatalf("%s: change %s, want %s", tl.Label, tl.AchievedShareChange.Decimal, want.FloatString(20))
			}
		}
		if tallied != n {
			rt.Fatalf("the periods' tallies count %d rows of %d", tallied, n)
		}
	})
}

package goalstats

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
)

// The team tallies of a year of monthly rows of 3 000 people in 500 units
// take a fraction of a second: every row read every unit's members again
// (and was looked for among the teams' tallies one by one), and this took
// about 18 seconds.
func TestTeamTalliesOfManyRowsAndUnits(t *testing.T) {
	cal := enginetest.Calendar(t, "Europe/Berlin")
	month := goal.PeriodDef{From: d("2025-01-01"), Every: period.Month}
	s := mustCompile(t, cal, enginetest.SalesIndicators,
		goal.Def{ID: "g0", Indicator: "won", Target: dp("1"), Period: month, Participants: goal.ParticipantsDef{Company: true}})
	const nUnits, nUsers = 500, 3000
	// Unit i > 0 hangs from unit (i−1)/8; user j belongs to unit j mod 500.
	parent := func(i int) int { return (i - 1) / 8 }
	var units []org.Unit
	for i := range nUnits {
		u := org.Unit{ID: fmt.Sprintf("u%d", i)}
		if i > 0 {
			u.Parent = fmt.Sprintf("u%d", parent(i))
		}
		units = append(units, u)
	}
	var ms []org.Membership
	for j := range nUsers {
		ms = append(ms, org.Membership{User: fmt.Sprintf("p%d", j), Unit: fmt.Sprintf("u%d", j%nUnits)})
	}
	o, err := org.Load(context.Background(), enginetest.Directory(units, ms))
	if err != nil {
		t.Fatal(err)
	}
	periods, err := cal.Periods(period.Month, d("2025-01-01"), d("2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []*goal.Row
	for _, p := range periods {
		for j := range nUsers {
			rows = append(rows, &goal.Row{Goal: "g0", Kind: goal.User, Participant: fmt.Sprintf("p%d", j), Period: p, Label: cal.Label(p), Status: goal.Achieved})
		}
		// A team's row counts for its unit and the units above it.
		rows = append(rows, &goal.Row{Goal: "g0", Kind: goal.Team, Participant: "u9", Period: p, Label: cal.Label(p), Status: goal.Failed})
	}
	start := time.Now()
	st := Summarize(s, rows, o)
	// About 0.1 s; about 18 before.
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("summarized in %s", took)
	}
	// By hand: a unit's tally holds the rows of the users of the units of
	// its subtree, and the team's row where u9 is in its subtree (u9, u1,
	// u0).
	below := func(u, top int) bool {
		for ; u > 0 && u != top; u = parent(u) {
		}
		return u == top
	}
	if len(st.ByTeam) != nUnits {
		t.Fatalf("%d team tallies, want %d", len(st.ByTeam), nUnits)
	}
	for i, tl := range st.ByTeam {
		users := 0
		for j := range nUsers {
			if below(j%nUnits, i) {
				users++
			}
		}
		failed := 0
		if below(9, i) {
			failed = len(periods)
		}
		if tl.Team != fmt.Sprintf("u%d", i) || tl.Achieved != users*len(periods) || tl.Failed != failed || tl.Instances != tl.Achieved+tl.Failed {
			t.Fatalf("tally %d: team %s, %d instances, %d achieved, %d failed; want u%d, %d achieved, %d failed",
				i, tl.Team, tl.Instances, tl.Achieved, tl.Failed, i, users*len(periods), failed)
		}
	}
}

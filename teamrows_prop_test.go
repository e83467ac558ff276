package goalkit_test

import (
	"fmt"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// A unit's row of every aggregate, breakdown row and running total is the
// plain loop over its members' events on the dates they belonged to it or
// to a unit below it, whatever the dated memberships (open at either end,
// several of a person, moves between units): a window that reaches before
// a membership takes nothing of the member's events before it.
func TestPropTeamRowsAreTheMembersEventsWhileTheyBelonged(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		zone := rapid.SampledFrom([]string{"UTC", "Europe/Berlin", "America/New_York"}).Draw(t, "zone")
		plan := compile(t, parseDef(t, fmt.Sprintf(breakdownPropPlan, zone)))
		loc := plan.Calendar().Location()
		evs, ref := genBreakdownEvents(t, loc)
		units := []org.Unit{{ID: "sales"}, {ID: "north", Parent: "sales"}, {ID: "south", Parent: "sales"}}
		dir, err := memory.NewDirectory(units, nil)
		if err != nil {
			t.Fatal(err)
		}
		var ms []org.Membership
		for _, user := range []string{"anna", "boris", "vera"} {
			for range rapid.IntRange(0, 2).Draw(t, "memberships") {
				m := org.Membership{User: user, Unit: rapid.SampledFrom([]string{"sales", "north", "south"}).Draw(t, "unit")}
				if rapid.Bool().Draw(t, "from") {
					m.From = date.New(2024, 12, 15) + date.Date(rapid.IntRange(0, 150).Draw(t, "from day"))
				}
				if rapid.Bool().Draw(t, "to") {
					m.To = date.New(2024, 12, 15) + date.Date(rapid.IntRange(1, 160).Draw(t, "to day"))
					if m.From != 0 && m.To <= m.From {
						m.To = m.From + date.Date(rapid.IntRange(1, 60).Draw(t, "length"))
					}
				}
				if dir.AddMembership(m) == nil {
					ms = append(ms, m)
				}
			}
		}
		parent := map[string]string{"north": "sales", "south": "sales"}
		countsFor := func(who string) func(bdEvent) bool {
			if who != "sales" && who != "north" && who != "south" {
				return actorIs(who)
			}
			return func(e bdEvent) bool {
				for _, m := range ms {
					if m.User == e.actor && (m.Unit == who || parent[m.Unit] == who) &&
						(m.From == 0 || m.From <= e.day) && (m.To == 0 || e.day < m.To) {
						return true
					}
				}
				return false
			}
		}
		asOf := drawnAsOf(loc)
		rep := mustEvaluate(t, plan, storeOf(t, loc, evs...), asOf, goalkit.WithDirectory(dir))
		for _, u := range []string{"sales", "north", "south"} {
			if !rep.Values.IsGroup(u) {
				t.Fatalf("unit %s has no row", u)
			}
		}
		checkAgainstLoops(t, rep, ref, countsFor)
	})
}

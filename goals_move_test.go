package goalkit_test

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
)

// TestTeamGoalCreditsAMoverByDate: a person who moves to another team on 15
// March counts for the old team's March goal with the deals won before the
// move and for the new team's with those after, never for both.
func TestTeamGoalCreditsAMoverByDate(t *testing.T) {
	plan := parsePlan(t, `
timezone: Europe/Moscow
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
goals:
  - id: team_deals
    indicator: won
    target: 10
    period: {from: 2025-03-01, to: 2025-04-01}
    participants: {teams: [north, south]}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`)
	dir := moverDirectory(t, org.Unit{ID: "north"}, org.Unit{ID: "south"})
	msk := plan.Calendar().Location()
	won := func(id, who string, day int) kpi.Event {
		return kpi.Event{ID: id, Kind: "deal.won", Actor: who, Time: time.Date(2025, 3, day, 12, 0, 0, 0, msk)}
	}
	// ann 1 (north); bob 2 before the move (north) and 3 after (south); cat 1 (south).
	store := storeOf(t, msk, won("a1", "ann", 3), won("b1", "bob", 5), won("b2", "bob", 14),
		won("b3", "bob", 15), won("b4", "bob", 20), won("b5", "bob", 31), won("c1", "cat", 10))
	rep := mustEvaluate(t, plan, store, time.Date(2025, 4, 1, 0, 0, 0, 0, msk), goalkit.WithDirectory(dir))
	got := map[string]string{}
	for _, r := range rep.Goals.Rows {
		if r.Actual.Valid {
			got[r.Participant] = r.Actual.Decimal.String()
		}
	}
	if got["north"] != "3" || got["south"] != "4" {
		t.Fatalf("team actuals %v, want north 3 (ann 1 + bob's 2 before the move) and south 4 (cat 1 + bob's 3 after)", got)
	}
}

// moverDirectory is ann and bob in north and cat in south, and bob moving to
// south on 15 March 2025, over the units given.
func moverDirectory(t *testing.T, units ...org.Unit) *memory.Directory {
	t.Helper()
	dir, err := memory.NewDirectory(units,
		[]org.Membership{{User: "ann", Unit: "north"}, {User: "bob", Unit: "north"}, {User: "cat", Unit: "south"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := dir.Move("bob", "south", date.New(2025, 3, 15)); err != nil {
		t.Fatal(err)
	}
	return dir
}

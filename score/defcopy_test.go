package score

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// A Scoring keeps its own definitions: a host that changes the Defs it
// compiled, or the definitions Scorecard.Def and Bonus.Def return, changes
// nothing it scores. The scorecard named its participant and the pool its
// team through the host's slices, and read them at every evaluation.
func TestScoringKeepsItsDefinitions(t *testing.T) {
	cal := testCalendar(t)
	defs := Defs{
		Scorecards: []ScorecardDef{{ID: "calls", Grain: period.Month, Participants: []string{"a"},
			KPIs: []KPIDef{{Indicator: "calls", Target: decp("10"), Weight: dec("100")}}}},
		Bonuses: []BonusDef{{ID: "pool", Scorecard: "calls", Currency: "RUB", Pool: &PoolDef{Amount: dec("100"), Teams: []string{"east"}}}},
	}
	s := compileOne(t, teamSet(t), defs)
	defs.Scorecards[0].Participants[0] = "z"
	*defs.Scorecards[0].KPIs[0].Target = dec("1")
	defs.Bonuses[0].Pool.Teams[0] = "west"
	sc, _ := s.Scorecard("calls")
	sc.Def().Participants[0] = "y"
	*sc.Def().KPIs[0].Target = dec("2")
	b, _ := s.Bonus("pool")
	b.Def().Pool.Teams[0] = "north"

	evs := makeEvents(t, cal, spec{"a", "call", 3, 4, ""})
	out, err := s.Evaluate(context.Background(), eventsTable(cal, evs), Request{
		Request: kpi.Request{Calendar: cal, Groups: []org.Group{{ID: "east", Members: []string{"a"}}}},
		From:    date.New(2025, 3, 1), To: date.New(2025, 4, 1)})
	if err != nil {
		t.Fatal(err)
	}
	// By hand: a's 4 calls against 10 score 40, and a alone shares east's
	// pool of 100.
	checkOutcome(t, out, []string{"card 2025-03 a 40", "pool 2025-03 a 100.00"})
}

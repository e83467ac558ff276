package score

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// A scorecard without participants scores every actor with events in the
// reported periods, whatever else the plan defines: a streak badge (which
// reads the periods before the report), a competition over its own
// periods, or another scorecard that names its participants. Each of them
// made someone who did nothing in March a participant of March, here x,
// active in January only, who scores 100 on a lower-is-better KPI by doing
// nothing and took 400 of the 1 000 pool.
func TestImplicitParticipantsAreTheReportedActors(t *testing.T) {
	cal := testCalendar(t)
	evs := makeEvents(t, cal, spec{"a", "call", 3, 10, ""}, spec{"x", "call", 1, 12, ""}, spec{"x", "deal", 1, 5, ""})
	card := ScorecardDef{ID: "team", Grain: period.Month, KPIs: []KPIDef{
		{Indicator: "calls", Target: decp("10"), Weight: dec("50")},
		{Indicator: "deals", Target: decp("2"), Weight: dec("50"), Direction: LowerIsBetter},
	}}
	named := card
	named.ID, named.Participants = "named", []string{"ivanov"}
	base := Defs{
		Scorecards: []ScorecardDef{card},
		Bonuses:    []BonusDef{{ID: "pool", Scorecard: "team", Currency: "RUB", Pool: &PoolDef{Amount: dec("1000")}}},
	}
	evaluate := func(t *testing.T, defs Defs) *Scores {
		t.Helper()
		out, err := compileOne(t, teamSet(t), defs).Evaluate(context.Background(), eventsTable(cal, evs),
			Request{Request: kpi.Request{Calendar: cal}, From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// a alone acted in March: 10 calls score 100, no deal scores 200 (the
	// line through 4 → 0 and 2 → 100, continued): 50 + 100 = 150, and
	// the whole pool.
	want := []string{"team a 2025-03 150 pays 1000"}
	show := func(s *Scores) []string {
		var out []string
		for _, c := range s.Cards("team") {
			line := fmt.Sprintf("%s %s %s %s", c.Scorecard, c.Participant, c.Label, c.Total)
			for _, p := range s.Bonuses {
				if p.Participant == c.Participant && p.Period == c.Period {
					line += " pays " + p.Amount.String()
				}
			}
			out = append(out, line)
		}
		return out
	}
	if got := show(evaluate(t, base)); !reflect.DeepEqual(got, want) {
		t.Fatalf("without more definitions: %q, want %q", got, want)
	}
	streak := base
	streak.Badges = []BadgeDef{{ID: "three", Rule: RuleStreak, Scorecard: "team", Periods: 3}}
	cup := base
	cup.Leaderboards = []LeaderboardDef{{ID: "depts", Scorecard: "team", Level: LevelDepartments}}
	cup.Competitions = []CompetitionDef{{ID: "january", Leaderboard: "depts", From: date.New(2025, 1, 1), To: date.New(2025, 2, 1)}}
	other := base
	other.Scorecards = []ScorecardDef{card, named}
	for name, defs := range map[string]Defs{"streak badge": streak, "competition of january": cup, "scorecard naming ivanov": other} {
		t.Run(name, func(t *testing.T) {
			if got := show(evaluate(t, defs)); !reflect.DeepEqual(got, want) {
				t.Errorf("%q, want %q", got, want)
			}
		})
	}
}

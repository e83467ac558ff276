package score

import (
	"context"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A scorecard's members_of, a departments leaderboard's departments and a
// pool's teams name groups of the evaluation; "" and "*" (everyone
// together) never are one, so Evaluate and a tracker's Check would refuse
// every report: Compile refuses them, naming the place.
func TestCompileRefusesGroupsNoEvaluationHas(t *testing.T) {
	for _, id := range []string{"", "*"} {
		card := teamCard()
		card.MembersOf = []string{"east", id}
		_, err := Compile(Defs{
			Scorecards:   []ScorecardDef{card},
			Leaderboards: []LeaderboardDef{{ID: "depts", Scorecard: "team", Level: LevelDepartments, Departments: []string{id}}},
			Bonuses: []BonusDef{{ID: "pool", Scorecard: "team", Currency: "RUB",
				Pool: &PoolDef{Amount: dec("100"), Teams: []string{"east", "west", id}}}},
		}, Env{Indicators: teamSet(t)})
		if err == nil {
			t.Fatalf("group %q: compiled", id)
		}
		for _, path := range []string{"bonuses[0].pool.teams[2]: ", "leaderboards[0].departments[0]: ", "scorecards[0].members_of[1]: "} {
			if !strings.Contains(err.Error(), path) {
				t.Errorf("group %q: error does not name %s:\n%v", id, path, err)
			}
		}
		if n := strings.Count(err.Error(), "\n") + 1; n != 3 {
			t.Errorf("group %q: %d problems, want 3:\n%v", id, n, err)
		}
	}
}

// Scorecards compiled without indicators (Env.Indicators nil: a plan whose
// indicators failed, or a host's Env) are refused by Check and Evaluate;
// Evaluate panicked.
func TestEvaluateWithoutIndicators(t *testing.T) {
	cal := testCalendar(t)
	s, err := Compile(Defs{Scorecards: []ScorecardDef{teamCard()}}, Env{})
	if err != nil {
		t.Fatal(err)
	}
	req := Request{Request: kpi.Request{Calendar: cal}, From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)}
	const want = "scoring: the scorecards were compiled without indicators (Env.Indicators)"
	if err := s.Check(req); err == nil || err.Error() != want {
		t.Errorf("Check: %v", err)
	}
	if _, err := s.Evaluate(context.Background(), eventsTable(cal, nil), req); err == nil || err.Error() != want {
		t.Errorf("Evaluate: %v", err)
	}
	// Without scorecards there is nothing to evaluate.
	empty, err := Compile(Defs{}, Env{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := empty.Evaluate(context.Background(), eventsTable(cal, nil), req); err != nil {
		t.Errorf("no scorecards: %v", err)
	}
}

// A pool's team listed twice is refused, naming the place: each listing
// is a pool of the amount, so the team's people shared twice the amount
// (200 of a pool of 100) without a word.
func TestPoolTeamListedTwice(t *testing.T) {
	_, err := Compile(Defs{
		Scorecards: []ScorecardDef{teamCard()},
		Bonuses: []BonusDef{{ID: "pool", Scorecard: "team", Currency: "RUB",
			Pool: &PoolDef{Amount: dec("100"), Teams: []string{"east", "west", "east"}}}},
	}, Env{Indicators: teamSet(t)})
	const want = `bonuses[0].pool.teams[2]: team "east" is already listed at pool.teams[0]: its pool would be paid twice`
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant %s", err, want)
	}
}

// ScoreValues, the pure core, scores values a host computed itself with
// scorecards compiled without indicators; it panicked. 7 calls of a
// target of 10 score 70 on the default curve (10 a call).
func TestScoreValuesWithoutIndicators(t *testing.T) {
	card := ScorecardDef{ID: "calls", Grain: period.Month, KPIs: []KPIDef{{Indicator: "calls", Target: decp("10"), Weight: dec("100")}}}
	s, err := Compile(Defs{Scorecards: []ScorecardDef{card}}, Env{})
	if err != nil {
		t.Fatal(err)
	}
	sc, _ := s.Scorecard("calls")
	c, err := sc.ScoreValues("a", march, "2025-03", map[string]decimal.NullDecimal{"calls": decimal.NewNullDecimal(dec("7"))})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Total.Equal(dec("70")) || c.KPIs[0].Indicator != "calls" {
		t.Errorf("card %+v", c)
	}
}

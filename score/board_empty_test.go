package score

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
)

// A departments leaderboard of an evaluation without groups (no directory,
// no teams) has no standings, written as an empty list as a people board's
// are and as the report schema wants; it was written "standings": null.
func TestDepartmentsBoardWithoutGroupsHasAnEmptyList(t *testing.T) {
	cal := testCalendar(t)
	s := compileOne(t, teamSet(t), Defs{
		Scorecards:   []ScorecardDef{teamCard()},
		Leaderboards: []LeaderboardDef{{ID: "d", Scorecard: "team", Level: LevelDepartments}},
		Competitions: []CompetitionDef{{ID: "c", Leaderboard: "d"}},
	})
	out, err := s.Evaluate(context.Background(), eventsTable(cal, nil), Request{Request: kpi.Request{Calendar: cal},
		From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Leaderboards) != 1 || len(out.Competitions) != 1 {
		t.Fatalf("boards %v, competitions %v", out.Leaderboards, out.Competitions)
	}
	for what, v := range map[string]any{"board": out.Leaderboards[0], "competition": out.Competitions[0]} {
		js, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(js), `"standings":[]`) {
			t.Errorf("the %s is written %s, want \"standings\":[]", what, js)
		}
	}
}

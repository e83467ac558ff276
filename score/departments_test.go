package score

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
)

// A departments leaderboard that names a department the evaluation has no
// group of fails, as a pool's team and a scorecard's members_of do, instead
// of leaving it out of every board and competition without a word.
func TestLeaderboardUnknownDepartment(t *testing.T) {
	cal := testCalendar(t)
	s := compileOne(t, teamSet(t), Defs{
		Scorecards:   []ScorecardDef{teamCard()},
		Leaderboards: []LeaderboardDef{{ID: "d", Scorecard: "team", Level: LevelDepartments, Departments: []string{"east", "nort"}}},
	})
	groups := []org.Group{{ID: "east", Members: []string{"a"}}, {ID: "north", Members: []string{"b"}}}
	_, err := s.Evaluate(context.Background(), eventsTable(cal, nil), Request{Request: kpi.Request{Calendar: cal, Groups: groups},
		From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)})
	if err == nil || err.Error() != `scoring: leaderboard d: department "nort" is not a group of the evaluation` {
		t.Errorf("error %v", err)
	}
	groups[1].ID = "nort"
	if _, err := s.Evaluate(context.Background(), eventsTable(cal, nil), Request{Request: kpi.Request{Calendar: cal, Groups: groups},
		From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)}); err != nil {
		t.Errorf("every department a group: %v", err)
	}
}

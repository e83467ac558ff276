package score

import (
	"context"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
)

// A competition with its own from and to is decided over its own periods
// even when the report's range holds no start of a scorecard period (10–20
// March of monthly cards); one over the report's range has no period there
// and is left out, as before. A streak badge of the same grain awards
// nothing and does not fail.
func TestCompetitionOwnRangeOutsideTheReport(t *testing.T) {
	cal := testCalendar(t)
	evs := makeEvents(t, cal, spec{"a", "call", 3, 10, ""}, spec{"d", "call", 3, 12, ""})
	groups := []org.Group{{ID: "east", Members: []string{"a"}}, {ID: "west", Members: []string{"d"}}}
	s := compileOne(t, teamSet(t), Defs{
		Scorecards:   []ScorecardDef{teamCard()},
		Leaderboards: []LeaderboardDef{{ID: "calls", Scorecard: "team", Level: LevelDepartments, KPI: "calls", Metric: MetricActual}},
		Badges:       []BadgeDef{{ID: "three", Rule: RuleStreak, Scorecard: "team", Periods: 3}},
		Competitions: []CompetitionDef{
			{ID: "march", Leaderboard: "calls", From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)},
			{ID: "report", Leaderboard: "calls"},
		},
	})
	out, err := s.Evaluate(context.Background(), eventsTable(cal, evs), Request{Request: kpi.Request{Calendar: cal, Groups: groups},
		From: date.New(2025, 3, 10), To: date.New(2025, 3, 20)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Scorecards) != 0 || len(out.Leaderboards) != 0 || len(out.Badges) != 0 {
		t.Errorf("cards %d, boards %d, badges %d: want none in a range with no month start", len(out.Scorecards), len(out.Leaderboards), len(out.Badges))
	}
	if len(out.Competitions) != 1 {
		t.Fatalf("competitions %+v, want march's alone", out.Competitions)
	}
	if c := out.Competitions[0]; c.Competition != "march" || strings.Join(c.Winners, ",") != "west" || showRanks(c.Standings) != "1 west 12, 2 east 10" {
		t.Errorf("competition %s: winners %v, standings %s", c.Competition, c.Winners, showRanks(c.Standings))
	}
}

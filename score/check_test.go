package score

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// Check refuses what Evaluate refuses whatever the events, with the same
// error, and accepts what it accepts: a group named by a scorecard whose
// grain has no period in the range, or by a competition over its own
// periods, is checked only where Evaluate reads it.
func TestCheckIsWhatEvaluateRefuses(t *testing.T) {
	cal := testCalendar(t)
	members := teamCard()
	members.MembersOf = []string{"sales"}
	weekly := teamCard()
	weekly.ID, weekly.Grain, weekly.MembersOf = "weekly", period.Week, []string{"sales"}
	depts := LeaderboardDef{ID: "depts", Scorecard: "team", Level: LevelDepartments, Departments: []string{"sales"}}
	march := [2]date.Date{date.New(2025, 3, 1), date.New(2025, 4, 1)}
	inside := [2]date.Date{date.New(2025, 3, 10), date.New(2025, 3, 12)}
	for _, c := range []struct {
		name  string
		defs  Defs
		span  [2]date.Date
		fails bool
	}{
		{"members_of", Defs{Scorecards: []ScorecardDef{members}}, march, true},
		{"members_of, no period", Defs{Scorecards: []ScorecardDef{members}}, inside, false},
		{"pool team", Defs{Scorecards: []ScorecardDef{teamCard()}, Bonuses: []BonusDef{{ID: "pool", Scorecard: "team", Currency: "RUB",
			Pool: &PoolDef{Amount: dec("100"), Teams: []string{"sales"}}}}}, march, true},
		{"pool team, no period", Defs{Scorecards: []ScorecardDef{teamCard()}, Bonuses: []BonusDef{{ID: "pool", Scorecard: "team", Currency: "RUB",
			Pool: &PoolDef{Amount: dec("100"), Teams: []string{"sales"}}}}}, inside, false},
		{"department", Defs{Scorecards: []ScorecardDef{teamCard()}, Leaderboards: []LeaderboardDef{depts}}, march, true},
		{"department, no period", Defs{Scorecards: []ScorecardDef{teamCard()}, Leaderboards: []LeaderboardDef{depts}}, inside, false},
		{"department of a competition's own periods", Defs{Scorecards: []ScorecardDef{teamCard()}, Leaderboards: []LeaderboardDef{depts},
			Competitions: []CompetitionDef{{ID: "cup", Leaderboard: "depts", From: march[0], To: march[1]}}}, inside, true},
		{"a weekly scorecard's group", Defs{Scorecards: []ScorecardDef{teamCard(), weekly}}, inside, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := compileOne(t, teamSet(t), c.defs)
			req := Request{Request: kpi.Request{Calendar: cal, Groups: []org.Group{{ID: "east", Members: []string{"a"}}}}, From: c.span[0], To: c.span[1]}
			_, eerr := s.Evaluate(context.Background(), eventsTable(cal, nil), req)
			cerr := s.Check(req)
			if (eerr != nil) != c.fails || (cerr == nil) != (eerr == nil) || (cerr != nil && cerr.Error() != eerr.Error()) {
				t.Errorf("Evaluate: %v; Check: %v; want both to fail: %v", eerr, cerr, c.fails)
			}
		})
	}
}

// The groups of a request are refused as the indicators refuse them, by
// their own ids: a group "" or "*" was scored as a department (the
// indicators, seeing the group under its row's id, let it through), two
// groups of one id failed as "participant \x00group:east is both an actor
// and a group", and an empty membership named the group by its row.
func TestScoringRefusesTheRequestsBadGroups(t *testing.T) {
	cal := testCalendar(t)
	card := ScorecardDef{ID: "calls", Grain: period.Month, KPIs: []KPIDef{{Indicator: "calls", Target: decp("10"), Weight: dec("100")}}}
	s := compileOne(t, teamSet(t), Defs{Scorecards: []ScorecardDef{card},
		Leaderboards: []LeaderboardDef{{ID: "depts", Scorecard: "calls", Level: LevelDepartments}}})
	tab := eventsTable(cal, makeEvents(t, cal, spec{"a", "call", 1, 3, ""}))
	for _, tc := range []struct {
		groups []org.Group
		want   string
	}{
		{[]org.Group{{ID: "", Members: []string{"a"}}}, `scoring: group id "" is not allowed`},
		{[]org.Group{{ID: "*", Members: []string{"a"}}}, `scoring: group id "*" is not allowed`},
		{[]org.Group{{ID: "east", Members: []string{"a"}}, {ID: "east", Members: []string{"b"}}}, `scoring: group "east" is given twice`},
		{[]org.Group{{ID: "east", Spans: []org.Span{{Member: "a", From: date.New(2025, 3, 1), To: date.New(2025, 2, 1)}}}},
			"group east: membership of a from 2025-03-01 to 2025-02-01 is empty"},
	} {
		req := Request{Request: kpi.Request{Calendar: cal, Groups: tc.groups}, From: date.New(2025, 1, 1), To: date.New(2025, 2, 1)}
		if _, err := s.Evaluate(context.Background(), tab, req); err == nil || err.Error() != tc.want {
			t.Errorf("Evaluate: got %q, want %q", err, tc.want)
		}
	}
}

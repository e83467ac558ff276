package dashboard_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/score"
)

// TestRankingStandingOfTheKindShown: a departments leaderboard shows a
// unit's standing to a viewer who sees the unit, not to one who sees only
// a person of the same id (an actor "north", as Bitrix24's user 1 beside
// department 1): the standings were kept for any participant the viewer's
// report held, whatever its kind, and the person saw the department's
// standing.
func TestRankingStandingOfTheKindShown(t *testing.T) {
	plan := testPlanWith(t, func(def *goalkit.Definition) {
		def.Leaderboards = append(def.Leaderboards, score.LeaderboardDef{ID: "teams", Name: "Teams", Scorecard: "sales", Level: score.LevelDepartments})
	})
	f := newFixtureOf(t, dashboardOptions(), plan)
	f.actorAsNorth(t, 2)
	boards := func(viewer string) map[string]string {
		t.Helper()
		_, body := get(t, f, "/ranking?lang=en", viewer)
		out := map[string]string{}
		for _, sec := range strings.Split(body, `<section class="board">`)[1:] {
			name := sec[strings.Index(sec, "<bdi>")+5 : strings.Index(sec, "</bdi>")]
			out[name] = sec[:strings.Index(sec, "</section>")]
		}
		return out
	}
	// The person "north" does not see the department's standing.
	if teams := boards("north")["Teams"]; strings.Contains(teams, "North") || strings.Contains(teams, ">north<") {
		t.Errorf("the person north sees the department north's standing:\n%s", teams)
	}
	// nadia heads north: she sees the department's standing.
	if teams := boards("nadia")["Teams"]; !strings.Contains(teams, "<bdi>North</bdi>") {
		t.Errorf("the head of north does not see its standing:\n%s", teams)
	}
}

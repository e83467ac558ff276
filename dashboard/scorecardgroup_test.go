package dashboard_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/score"
)

// TestScorecardOfAUnitWithoutARow: the KPI numbers of a scorecard of a
// unit whose id is also an actor's (Bitrix24's department 1 and user 1)
// are not linked to the explanation of that id's cell, which is the
// actor's: the unit's actual (its members' events) was explained by the
// actor's events alone. The other unit's numbers and the actor's own
// scorecard keep their links.
func TestScorecardOfAUnitWithoutARow(t *testing.T) {
	plan := testPlanWithCallsCard(t, score.ScorecardDef{ID: "units", Name: "Units", Participants: []string{"north", "south"}})
	f := newFixtureOf(t, dashboardOptions(), plan)
	cards := func() map[string]string {
		t.Helper()
		resp, body := get(t, f, "/scorecards?lang=en", "admin")
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		out := map[string]string{}
		for _, sec := range strings.Split(body, `<section class="scorecard`)[1:] {
			sec = sec[:strings.Index(sec, "</section>")]
			for _, name := range []string{"North", "South"} {
				if strings.Contains(sec, "<bdi>Units</bdi>") && strings.Contains(sec, "<bdi>"+name+"</bdi>") {
					out[name] = sec
				}
			}
		}
		return out
	}
	before := cards()
	if !strings.Contains(before["North"], "participant=north&") || !strings.Contains(before["South"], "participant=south&") {
		t.Fatalf("the units' scorecards link no explanation before the actor: the test shows nothing\n%v", before)
	}
	f.actorAsNorth(t, 3) // an actor named as the unit north: 3 calls of theirs
	after := cards()
	if n := after["North"]; n == "" || strings.Contains(n, "explain?") {
		t.Errorf("the scorecard of the unit north links an explanation, the actor's (or is missing):\n%s", n)
	}
	if !strings.Contains(after["South"], "participant=south&") {
		t.Errorf("the scorecard of south lost its explanation:\n%s", after["South"])
	}
}

package dashboard_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/score"
)

// TestScorecardBonusOnItsCard: a bonus is shown under the card of the
// scorecard it pays on, not under another scorecard's card of the same
// participant and period: a person scored on two scorecards read the
// monthly bonus of the sales scorecard under each of them.
func TestScorecardBonusOnItsCard(t *testing.T) {
	plan := testPlanWithCallsCard(t, score.ScorecardDef{ID: "calling", Name: "Caller", MembersOf: []string{"north"}})
	f := newFixtureOf(t, dashboardOptions(), plan)
	resp, body := get(t, f, "/scorecards?lang=en", "admin")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	cards := map[string]int{}
	for _, sec := range strings.Split(body, `<section class="scorecard`)[1:] {
		sec = sec[:strings.Index(sec, "</section>")]
		if !strings.Contains(sec, "<bdi>anna</bdi>") && !strings.Contains(sec, "<bdi>Anna") {
			continue
		}
		for _, name := range []string{"Sales manager", "Caller"} {
			if strings.Contains(sec, "<bdi>"+name+"</bdi>") {
				cards[name] = strings.Count(sec, "<bdi>Monthly bonus</bdi>")
			}
		}
	}
	if len(cards) != 2 {
		t.Fatalf("anna's cards: %v, want Sales manager and Caller", cards)
	}
	if cards["Sales manager"] != 1 || cards["Caller"] != 0 {
		t.Errorf("the monthly bonus is under anna's cards %v, want once under Sales manager only", cards)
	}
}

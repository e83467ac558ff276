package dashboard_test

import (
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
)

// The head of department 3 sees the card of the department, which a
// scorecard names, and the people board's standings of the people they
// may see, not of user 3, who has the department's id and is in
// department 2: the department's card made the page count user 3 among
// the people the head sees, and the people board showed user 3's place.
func TestRankingOfAHeadLeavesOutThePersonOfTheUnitsID(t *testing.T) {
	at := asOf.Add(-48 * time.Hour)
	data := kindNamed{
		trackerData: yamlTrackerData(t, `
timezone: UTC
indicators:
  - {id: calls, kinds: [call], aggregate: count}
report: {grain: month, from: 2026-12-01, to: 2027-01-01}
scorecards:
  - id: teams
    grain: month
    participants: ["3"]
    kpis:
      - {indicator: calls, target: 10, weight: 100}
  - id: people
    grain: month
    kpis:
      - {indicator: calls, target: 2, weight: 100}
leaderboards:
  - {id: people_board, name: People board, scorecard: people}
`,
			[]org.Unit{{ID: "1"}, {ID: "2", Parent: "1"}, {ID: "3", Parent: "1", Head: "h"}},
			[]org.Membership{{User: "3", Unit: "2"}, {User: "5", Unit: "3"}, {User: "h", Unit: "3"}},
			kpi.Event{ID: "c1", Kind: "call", Time: at, Actor: "3"},
			kpi.Event{ID: "c2", Kind: "call", Time: at, Actor: "5"},
		),
		people: map[string]string{"3": "Pavel Orlov", "5": "Olga Sidorova"},
		units:  map[string]string{"3": "Support"},
	}
	get := pagesOf(t, data, goal.Viewer{User: "h"})
	if body := get("/scorecards?lang=en"); !strings.Contains(body, "Support") {
		t.Fatalf("the head does not see the department's card:\n%s", body)
	}
	body := get("/ranking?lang=en")
	if !strings.Contains(body, "Olga Sidorova") {
		t.Errorf("the people board does not show user 5, of the head's department:\n%s", body)
	}
	if strings.Contains(body, "Pavel Orlov") {
		t.Errorf("the people board shows user 3, of department 2, to the head of department 3:\n%s", body)
	}
}

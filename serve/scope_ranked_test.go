package serve

import (
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/org"
)

// A board cut to its top carries the count of those ranked ("ranked"); a
// viewer whose scope cuts the board's standings to their own must not
// read it: it counted the participants they may not see ("ranked": 3
// beside the one standing of the viewer). An admin, and a reader whose
// scope keeps every standing, read it.
func TestScopeLeavesOutTheRankedCountOfACutBoard(t *testing.T) {
	plan := collidePlan + `scorecards:
  - id: sales
    grain: month
    kpis:
      - {indicator: won, target: 1, weight: 100, cap: 500}
leaderboards:
  - {id: people, scorecard: sales, top: 1}
`
	// 5 won two deals, 7 and 8 one each: three ranked, top 1 keeps 5.
	f, id := collideFixture(t, plan,
		[]org.Unit{{ID: "1", Name: "Company"}, {ID: "2", Parent: "1", Name: "Sales"}, {ID: "3", Parent: "1", Name: "Support"}},
		[]org.Membership{{User: "5", Unit: "2"}, {User: "7", Unit: "2"}, {User: "8", Unit: "3"}}, "5", "5", "7", "8")
	ranked := func() (any, int) {
		t.Helper()
		var rep map[string]any
		f.getJSON("/api/v1/report", "x", &rep)
		boards := rep["leaderboards"].([]any)
		if len(boards) != 1 {
			t.Fatalf("%d boards, want 1", len(boards))
		}
		b := boards[0].(map[string]any)
		return b["ranked"], len(b["standings"].([]any))
	}
	*id = Identity{Role: Reader, Viewer: goal.Viewer{Admin: true}}
	if got, n := ranked(); got != float64(3) || n != 1 {
		t.Errorf("admin: ranked %v beside %d standings, want 3 beside 1", got, n)
	}
	// The reader of Sales sees 5, the board's one standing, whole.
	*id = Identity{Role: Reader, Viewer: goal.Viewer{User: "7"}, Teams: []string{"2"}}
	if got, n := ranked(); got != float64(3) || n != 1 {
		t.Errorf("reader of Sales: ranked %v beside %d standings, want 3 beside 1", got, n)
	}
	// The reader of Support does not see 5: no standing, and no count.
	*id = Identity{Role: Reader, Viewer: goal.Viewer{User: "8"}, Teams: []string{"3"}}
	if got, n := ranked(); got != nil || n != 0 {
		t.Errorf("reader of Support: ranked %v beside %d standings, want no count beside none", got, n)
	}
}

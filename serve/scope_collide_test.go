package serve

import (
	"net/http"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/org"
)

// A directory whose unit ids are also user ids (Bitrix24 numbers both from
// 1): a viewer allowed to see department 1 does not see user 1's own
// numbers through it. Department 1's row of values is the user's (the unit
// has none), a people leaderboard ranks users and a departments one units,
// and each is cut by its own kind; the cut read every "1" as the unit.
func TestScopeTellsAUserFromAUnitOfTheSameID(t *testing.T) {
	// User 1 (the portal's owner) is in no department; 7 is in 2, below 1.
	f, id := collideFixture(t, collideScored+`  - {id: units, scorecard: sales, level: departments, departments: ["1", "2"]}
`,
		[]org.Unit{{ID: "1", Name: "Company"}, {ID: "2", Parent: "1", Name: "Sales"}},
		[]org.Membership{{User: "7", Unit: "2"}}, "1", "1", "7")
	// A reader of department 1 and what is below it.
	*id = Identity{Role: Reader, Viewer: goal.Viewer{User: "7"}, Teams: []string{"1"}}
	var rep map[string]any
	f.getJSON("/api/v1/report", "x", &rep)
	if _, ok := valueOf(t, rep, "won", "1", "2025-03-01"); ok {
		t.Error("the viewer of department 1 sees user 1's row of values")
	}
	if _, ok := valueOf(t, rep, "won", "7", "2025-03-01"); !ok {
		t.Error("the viewer does not see their own row")
	}
	boards := map[string][]string{}
	for _, b := range rep["leaderboards"].([]any) {
		m := b.(map[string]any)
		var who []string
		for _, s := range m["standings"].([]any) {
			who = append(who, s.(map[string]any)["participant"].(string))
		}
		boards[m["leaderboard"].(string)] = who
	}
	if got := strings.Join(boards["people"], " "); got != "7" {
		t.Errorf("people leaderboard shows %q, want 7 alone (user 1 is in no unit the viewer sees)", got)
	}
	if got := strings.Join(boards["units"], " "); got != "1 2" && got != "2 1" {
		t.Errorf("departments leaderboard shows %q, want units 1 and 2", got)
	}
	// The explanation of user 1's cell is not the viewer's either.
	w := f.do("GET", "/api/v1/explain?period=2025-03&indicator=won&participant=1", "x", "", nil)
	if w.Code != http.StatusForbidden && w.Code != http.StatusNotFound {
		t.Errorf("the explanation of user 1's cell: %d %s", w.Code, w.Body)
	}
}

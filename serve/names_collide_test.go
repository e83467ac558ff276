package serve

import (
	"html"
	"net/http"
	"regexp"
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/org"
)

// The dashboard does not show a person's numbers under the name of a
// department whose id is also theirs (Bitrix24's department 1, "Company",
// and user 1): the server named every participant "1" by the unit, and the
// people leaderboard ranked "Company" with user 1's deals.
func TestNameOfAnIDThatIsAUnitsAndAnActors(t *testing.T) {
	f, id := collideFixture(t, collideScored,
		[]org.Unit{{ID: "1", Name: "Company"}, {ID: "2", Parent: "1", Name: "Sales"}},
		[]org.Membership{{User: "1", Unit: "1"}, {User: "7", Unit: "2"}}, "1", "1", "7")
	*id = Identity{Role: Reader, Viewer: goal.Viewer{Admin: true}}
	w := f.do("GET", "/ranking?lang=en", "x", "", nil)
	if w.Code != http.StatusOK {
		t.Fatalf("ranking: %d %s", w.Code, w.Body)
	}
	rows := regexp.MustCompile(`<td class="num rank">([^<]*)</td><td><bdi>([^<]*)</bdi></td>`).FindAllStringSubmatch(w.Body.String(), -1)
	var who []string
	for _, r := range rows {
		who = append(who, html.UnescapeString(r[2]))
	}
	// By hand: user 1 won 2 deals, user 7 one.
	if len(who) != 2 || who[0] != "1" || who[1] != "7" {
		t.Errorf("the people leaderboard shows %q, want user 1 then user 7 by their ids", who)
	}
	// The units keep their names, department 1 included: the dashboard
	// asks by kind, so the person of id 1 is not shown as "Company".
	for _, c := range []struct {
		kind     goal.ParticipantKind
		id, want string
	}{{goal.Team, "1", "Company"}, {goal.Team, "2", "Sales"}, {goal.User, "1", ""}, {goal.User, "7", ""}} {
		if name, ok := f.srv.Name(c.kind, c.id); name != c.want || ok != (c.want != "") {
			t.Errorf("Name(%s, %q) = %q, %v; want %q", c.kind, c.id, name, ok, c.want)
		}
	}
}

package serve

import (
	"html"
	"net/http"
	"regexp"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
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

// A directory that names people (a directory file's "users", read by
// adapters/memory) has the dashboard show them by name, each kind from its
// own list: the server showed every person by id, and the person of a
// unit's id must not take the unit's name, nor the unit the person's.
func TestNameOfAPersonFromTheDirectorysUsers(t *testing.T) {
	dir, err := memory.NewDirectory(
		[]org.Unit{{ID: "1", Name: "Company"}, {ID: "2", Parent: "1", Name: "Sales"}},
		[]org.Membership{{User: "1", Unit: "1"}, {User: "7", Unit: "2"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range [][2]string{{"1", "Ivan Petrov"}, {"7", "Anna Smirnova"}} {
		if err := dir.AddUser(u[0], u[1]); err != nil {
			t.Fatal(err)
		}
	}
	def, err := goalkit.ParseDefinition("plan.yaml", []byte(collideScored))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	f := planFixture(t, plan, dir, nil)
	for _, c := range []struct {
		kind     goal.ParticipantKind
		id, want string
	}{
		{goal.Team, "1", "Company"}, {goal.Team, "2", "Sales"},
		{goal.User, "1", "Ivan Petrov"}, {goal.User, "7", "Anna Smirnova"},
		{goal.User, "2", ""}, {goal.Team, "7", ""}, {goal.Company, "1", ""},
	} {
		if name, ok := f.srv.Name(c.kind, c.id); name != c.want || ok != (c.want != "") {
			t.Errorf("Name(%s, %q) = %q, %v; want %q", c.kind, c.id, name, ok, c.want)
		}
	}
}

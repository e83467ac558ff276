package serve

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/goal"
)

// The dashboard shows a unit by its name in the directory, and a user, who
// has none there, by their id; a name the directory does not have is no name.
func TestNames(t *testing.T) {
	f := newFixture(t, nil)
	for _, tc := range []struct {
		kind              goal.ParticipantKind
		participant, want string
		ok                bool
	}{
		{goal.Team, "north", "North", true}, {goal.Team, "south", "South", true}, {goal.Team, "n1", "", false}, {goal.Team, "*", "", false},
		// A person is shown by id: the directory names units only.
		{goal.User, "north", "", false}, {goal.User, "n1", "", false},
	} {
		if got, ok := f.srv.Name(tc.kind, tc.participant); got != tc.want || ok != tc.ok {
			t.Errorf("Name(%s, %q) = %q, %v, want %q, %v", tc.kind, tc.participant, got, ok, tc.want, tc.ok)
		}
	}
	w := f.do("GET", "/teams", adminToken, "", nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "North") {
		t.Fatalf("GET /teams: %d, the page does not name the unit North", w.Code)
	}
}

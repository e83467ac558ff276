package serve

import (
	"strings"
	"testing"
)

// The dashboard shows a unit by its name in the directory, and a user, who
// has none there, by their id; a name the directory does not have is no name.
func TestNames(t *testing.T) {
	f := newFixture(t, nil)
	for _, tc := range []struct {
		participant, want string
		ok                bool
	}{{"north", "North", true}, {"south", "South", true}, {"n1", "", false}, {"*", "", false}} {
		if got, ok := f.srv.Name(tc.participant); got != tc.want || ok != tc.ok {
			t.Errorf("Name(%q) = %q, %v, want %q, %v", tc.participant, got, ok, tc.want, tc.ok)
		}
	}
	w := f.do("GET", "/teams", adminToken, "", nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "North") {
		t.Fatalf("GET /teams: %d, the page does not name the unit North", w.Code)
	}
}

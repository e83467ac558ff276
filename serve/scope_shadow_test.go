package serve

import (
	"testing"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/org"
)

// A viewer of a department whose id is also a user's (Bitrix24's
// department 1 and user 1) is told that the department has no row of
// values, as an admin is: the report's warning names the department. The
// cut kept it only for a viewer who may see the user, and a head of the
// department saw a report without the department's row and without a word.
func TestScopeKeepsTheWarningOfAUnitWithoutARow(t *testing.T) {
	// User 1 is in no department; 7 is in 2, below 1; 8 is in 3, apart.
	f, id := collideFixture(t, collidePlan,
		[]org.Unit{{ID: "1", Name: "Company"}, {ID: "2", Parent: "1", Name: "Sales"}, {ID: "3", Name: "Other"}},
		[]org.Membership{{User: "7", Unit: "2"}, {User: "8", Unit: "3"}}, "1", "7", "8")
	warned := func(who string, v Identity) []string {
		t.Helper()
		*id = v
		var rep struct {
			Warnings []struct {
				Indicator, Participant, Period, Message string
			}
			Values []struct{ Participant string }
		}
		f.getJSON("/api/v1/report", "x", &rep)
		var out []string
		for _, w := range rep.Warnings {
			if w.Indicator != "" || w.Period != "" {
				t.Errorf("%s: a warning of a value: %+v", who, w)
			}
			out = append(out, w.Participant)
		}
		for _, r := range rep.Values {
			if r.Participant == "1" && !v.Viewer.Admin {
				t.Errorf("%s sees user 1's row", who)
			}
		}
		return out
	}
	for _, c := range []struct {
		who  string
		id   Identity
		want bool
	}{
		{"an admin", Identity{Role: Reader, Viewer: goal.Viewer{Admin: true}}, true},
		{"a reader of department 1", Identity{Role: Reader, Viewer: goal.Viewer{User: "7"}, Teams: []string{"1"}}, true},
		{"a reader of department 3", Identity{Role: Reader, Viewer: goal.Viewer{User: "8"}, Teams: []string{"3"}}, false},
		// The default visibility shows a member the teams above theirs.
		{"user 7 alone", Identity{Role: Reader, Viewer: goal.Viewer{User: "7"}}, true},
		{"user 8 alone", Identity{Role: Reader, Viewer: goal.Viewer{User: "8"}}, false},
	} {
		got := warned(c.who, c.id)
		if has := len(got) == 1 && got[0] == "1"; has != c.want || len(got) > 1 {
			t.Errorf("%s: warnings of %q, want department 1's: %v", c.who, got, c.want)
		}
	}
}

package goal

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

func testOrg(t testing.TB) *org.Org {
	dir := enginetest.Directory(
		[]org.Unit{
			{ID: "company"},
			{ID: "sales", Parent: "company", Head: "hanna"},
			{ID: "sales_east", Parent: "sales", Head: "ivan"},
			{ID: "support", Parent: "company", Head: "sofia"},
		},
		[]org.Membership{
			{User: "anna", Unit: "sales_east"},
			{User: "boris", Unit: "sales_east", To: d("2025-03-15")},
			{User: "boris", Unit: "support", From: d("2025-03-15")},
			{User: "vera", Unit: "support"},
			{User: "ivan", Unit: "sales_east"},
			{User: "hanna", Unit: "sales"},
		},
	)
	o, err := org.Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestDefaultVisibility(t *testing.T) {
	o := testOrg(t)
	pol := DefaultVisibility{Org: o, Date: d("2025-03-20")}
	tests := []struct {
		viewer Viewer
		s      Subject
		want   bool
	}{
		{Viewer{User: "anna"}, Subject{Participant: "anna", Kind: User}, true},
		{Viewer{User: "anna"}, Subject{Participant: "vera", Kind: User}, false},
		{Viewer{User: "anna"}, Subject{Participant: "*", Kind: Company}, true},
		{Viewer{User: "anna"}, Subject{Participant: "vera", Kind: User, Visibility: Public}, true},
		{Viewer{User: "anna"}, Subject{Participant: "sales_east", Kind: Team}, true},
		{Viewer{User: "anna"}, Subject{Participant: "sales", Kind: Team}, true}, // through sales_east
		{Viewer{User: "anna"}, Subject{Participant: "sales_east", Kind: Team, Visibility: Private}, false},
		{Viewer{User: "anna"}, Subject{Participant: "support", Kind: Team}, false},
		{Viewer{User: "ivan"}, Subject{Participant: "anna", Kind: User}, true},
		{Viewer{User: "ivan"}, Subject{Participant: "boris", Kind: User}, false}, // moved to support on the 15th
		{Viewer{User: "hanna"}, Subject{Participant: "anna", Kind: User}, true},  // head of the parent unit
		{Viewer{User: "hanna"}, Subject{Participant: "sales_east", Kind: Team, Visibility: Private}, true},
		{Viewer{User: "sofia"}, Subject{Participant: "boris", Kind: User}, true},
		{Viewer{User: "sofia"}, Subject{Participant: "anna", Kind: User}, false},
		{Viewer{Admin: true}, Subject{Participant: "anna", Kind: User, Visibility: Private}, true},
		{Viewer{}, Subject{Participant: "anna", Kind: User}, false},
	}
	for _, tt := range tests {
		if got := pol.CanSee(tt.viewer, tt.s); got != tt.want {
			t.Errorf("%+v sees %+v: %v, want %v", tt.viewer, tt.s, got, tt.want)
		}
	}
}

// No row escapes a viewer's rights: every row, notification and correction
// of a filtered result is one the viewer may see by the rules, checked here
// against the organisation directly; and no row the viewer may see is lost.
func TestNoRowEscapes(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		users := []string{"u0", "u1", "u2", "u3", "u4", "u5"}
		nUnits := rapid.IntRange(1, 6).Draw(t, "units")
		var units []org.Unit
		parent := map[string]string{}
		head := map[string]string{}
		for i := range nUnits {
			u := org.Unit{ID: fmt.Sprint("t", i)}
			if i > 0 {
				u.Parent = fmt.Sprint("t", rapid.IntRange(0, i-1).Draw(t, "parent"))
			}
			if rapid.Bool().Draw(t, "has_head") {
				u.Head = rapid.SampledFrom(users).Draw(t, "head")
			}
			parent[u.ID], head[u.ID] = u.Parent, u.Head
			units = append(units, u)
		}
		day := d("2025-03-15")
		var ms []org.Membership
		for range rapid.IntRange(0, 10).Draw(t, "memberships") {
			m := org.Membership{User: rapid.SampledFrom(users).Draw(t, "user"), Unit: rapid.SampledFrom(units).Draw(t, "unit").ID}
			if rapid.Bool().Draw(t, "bounded") {
				m.From = day + date.Date(rapid.IntRange(-3, 3).Draw(t, "from"))
				m.To = m.From + date.Date(rapid.IntRange(1, 5).Draw(t, "len"))
			}
			ms = append(ms, m)
		}
		og, err := org.Load(context.Background(), enginetest.Directory(units, ms))
		if err != nil {
			t.Fatal(err)
		}
		// The oracle: the rules, straight from the data.
		within := func(x, top string) bool { // x is top or below it
			for seen := 0; x != "" && seen < 10; seen++ {
				if x == top {
					return true
				}
				x = parent[x]
			}
			return false
		}
		memberOn := func(user, unit string) bool {
			for _, m := range ms {
				if m.User == user && m.Unit == unit && (m.From == 0 || m.From <= day) && (m.To == 0 || day < m.To) {
					return true
				}
			}
			return false
		}
		heads := func(user, unit string) bool {
			for _, u := range units {
				if head[u.ID] == user && within(unit, u.ID) {
					return true
				}
			}
			return false
		}
		may := func(v Viewer, r Row) bool {
			switch {
			case v.Admin, r.Kind == Company, r.Visibility == Public:
				return true
			case v.User == "":
				return false
			case r.Kind == User:
				if r.Participant == v.User {
					return true
				}
				for _, u := range units {
					if memberOn(r.Participant, u.ID) && heads(v.User, u.ID) {
						return true
					}
				}
			case r.Kind == Team:
				if heads(v.User, r.Participant) {
					return true
				}
				if r.Visibility == Private {
					return false
				}
				for _, u := range units {
					if memberOn(v.User, u.ID) && within(u.ID, r.Participant) {
						return true
					}
				}
			}
			return false
		}
		res := &Result{}
		for i := range rapid.IntRange(0, 12).Draw(t, "rows") {
			r := Row{Goal: fmt.Sprint("g", i%3), Visibility: rapid.SampledFrom([]Visibility{"", Public, Private}).Draw(t, "vis")}
			switch rapid.IntRange(0, 2).Draw(t, "kind") {
			case 0:
				r.Kind, r.Participant = User, rapid.SampledFrom(users).Draw(t, "participant")
			case 1:
				r.Kind, r.Participant = Team, rapid.SampledFrom(units).Draw(t, "team").ID
			default:
				r.Kind, r.Participant = Company, org.Everyone
			}
			res.Rows = append(res.Rows, &r)
			res.Notifications = append(res.Notifications, Notification{Goal: r.Goal, Participant: r.Participant})
			res.Corrections = append(res.Corrections, Correction{Goal: r.Goal, Participant: r.Participant})
		}
		v := Viewer{User: rapid.SampledFrom(append(users, "")).Draw(t, "viewer"), Admin: rapid.IntRange(0, 9).Draw(t, "admin") == 0}
		out := res.ForViewer(v, DefaultVisibility{Org: og, Date: day})
		want := 0
		for _, r := range res.Rows {
			if may(v, *r) {
				want++
			}
		}
		if len(out.Rows) != want {
			t.Fatalf("%d rows shown, %d allowed", len(out.Rows), want)
		}
		for _, r := range out.Rows {
			if !may(v, *r) {
				t.Fatalf("%+v sees %s/%s (%s, %q)", v, r.Goal, r.Participant, r.Kind, r.Visibility)
			}
		}
		visible := map[[2]string]bool{}
		for _, r := range out.Rows {
			visible[[2]string{r.Goal, r.Participant}] = true
		}
		for _, n := range out.Notifications {
			if !visible[[2]string{n.Goal, n.Participant}] {
				t.Fatalf("notification of a hidden row %s/%s", n.Goal, n.Participant)
			}
		}
		for _, c := range out.Corrections {
			if !visible[[2]string{c.Goal, c.Participant}] {
				t.Fatalf("correction of a hidden row %s/%s", c.Goal, c.Participant)
			}
		}
	})
}

// A user and a team may share an id; what the viewer sees of the one says
// nothing of the other, for rows, notifications and corrections alike. A
// notification or correction whose participant kind is unknown (read back
// from JSON) is shown only when every row of its goal and participant is.
func TestForViewerUserAndTeamOfOneID(t *testing.T) {
	res := &Result{
		Rows: []*Row{{Goal: "g", Participant: "x", Kind: User}, {Goal: "g", Participant: "x", Kind: Team}},
		Notifications: []Notification{
			{Key: "user", Goal: "g", Participant: "x", ParticipantKind: User},
			{Key: "team", Goal: "g", Participant: "x", ParticipantKind: Team},
			{Key: "unknown", Goal: "g", Participant: "x"},
		},
		Corrections: []Correction{
			{Period: "user", Goal: "g", Participant: "x", ParticipantKind: User},
			{Period: "team", Goal: "g", Participant: "x", ParticipantKind: Team},
			{Period: "unknown", Goal: "g", Participant: "x"},
		},
	}
	only := func(k ParticipantKind) VisibilityPolicy {
		return VisibilityFunc(func(_ Viewer, s Subject) bool { return s.Kind == k })
	}
	all := VisibilityFunc(func(Viewer, Subject) bool { return true })
	for _, tc := range []struct {
		name   string
		policy VisibilityPolicy
		want   []string
	}{
		{"user only", only(User), []string{"user"}},
		{"team only", only(Team), []string{"team"}},
		{"both", all, []string{"user", "team", "unknown"}},
		{"neither", only(Company), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := res.ForViewer(Viewer{User: "x"}, tc.policy)
			var ns, cs []string
			for _, n := range out.Notifications {
				ns = append(ns, n.Key)
			}
			for _, c := range out.Corrections {
				cs = append(cs, c.Period)
			}
			if !slices.Equal(ns, tc.want) || !slices.Equal(cs, tc.want) {
				t.Errorf("notifications %q, corrections %q, want %q", ns, cs, tc.want)
			}
		})
	}
}

// A result a host built with a nil row is cut for a viewer without it: the
// rows around it are judged as ever. ForViewer panicked on it.
func TestForViewerLeavesANilRowOut(t *testing.T) {
	res := &Result{Rows: []*Row{{Goal: "g", Participant: "anna", Kind: User}, nil, {Goal: "g", Participant: "boris", Kind: User}}}
	seen := res.ForViewer(Viewer{User: "boris"}, VisibilityFunc(func(v Viewer, s Subject) bool { return s.Participant == v.User }))
	if len(seen.Rows) != 1 || seen.Rows[0].Participant != "boris" {
		t.Fatalf("boris sees %v, want his row alone", seen.Rows)
	}
}

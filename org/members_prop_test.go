package org

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// belongs is the membership rule written out date by date: m covers the
// local date d when From <= d < To, a zero bound being open.
func belongs(m Membership, d date.Date) bool {
	return (m.From == 0 || m.From <= d) && (m.To == 0 || d < m.To)
}

// Members, Users and UnitsOf answer, for any memberships (empty and
// reversed ranges included), what a walk over the dates of the period
// finds: a user belongs to a unit in a period when some date of it lies in
// one of their memberships' [From, To). They agree with the groups, whose
// spans count the user's events.
func TestPropMembersAreDates(t *testing.T) {
	base := date.New(2025, 3, 1)
	units := []Unit{{ID: "a"}, {ID: "b", Parent: "a"}, {ID: "c"}}
	rapid.Check(t, func(t *rapid.T) {
		ms := drawMemberships(t, rapid.IntRange(0, 6).Draw(t, "n"), []string{"a", "b", "c"}, base)
		o, err := Load(context.Background(), testDirectory{units: units, ms: ms})
		if err != nil {
			t.Fatal(err)
		}
		start := base + date.Date(rapid.IntRange(0, 10).Draw(t, "start"))
		p := period.Period{Grain: period.Days(3), Start: start, End: start + 3}
		for _, u := range units {
			sub := o.Subtree(u.ID)
			var want []string
			for _, m := range ms {
				for d := p.Start; d < p.End; d++ {
					if slices.Contains(sub, m.Unit) && belongs(m, d) {
						want = append(want, m.User)
					}
				}
			}
			slices.Sort(want)
			want = slices.Compact(want)
			if got := o.Members(u.ID, p); !slices.Equal(got, want) {
				t.Fatalf("Members(%s, %s) = %v, want %v", u.ID, p, got, want)
			}
			g := o.Groups(p.Start, p.End)[slices.IndexFunc(units, func(x Unit) bool { return x.ID == u.ID })]
			if got := g.People(); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Fatalf("Groups(%s): people %v, Members %v", u.ID, got, want)
			}
		}
		var users []string
		for _, m := range ms {
			for d := p.Start; d < p.End; d++ {
				if belongs(m, d) {
					users = append(users, m.User)
				}
			}
		}
		slices.Sort(users)
		users = slices.Compact(users)
		if got := o.Users(p); !slices.Equal(got, users) {
			t.Fatalf("Users(%s) = %v, want %v", p, got, users)
		}
		for _, user := range []string{"u1", "u2", "u3"} {
			for d := p.Start; d < p.End; d++ {
				var want []string
				for _, m := range ms {
					if m.User == user && belongs(m, d) {
						want = append(want, m.Unit)
					}
				}
				slices.Sort(want)
				want = slices.Compact(want)
				if got := o.UnitsOf(user, d); !slices.Equal(got, want) {
					t.Fatalf("UnitsOf(%s, %s) = %v, want %v", user, d, got, want)
				}
			}
		}
	})
}

// An empty membership (To at or before From: a move made and undone on one
// day) holds no date: the user is no member of the unit, as the unit's
// group has no span of theirs.
func TestEmptyMembershipHoldsNoDate(t *testing.T) {
	d := date.New(2025, 3, 2)
	o, err := Load(context.Background(), testDirectory{
		units: []Unit{{ID: "a"}},
		ms:    []Membership{{User: "u1", Unit: "a", From: d, To: d}, {User: "u2", Unit: "a", From: d + 1, To: d}},
	})
	if err != nil {
		t.Fatal(err)
	}
	p := period.Period{Grain: period.Month, Start: date.New(2025, 3, 1), End: date.New(2025, 4, 1)}
	if got := o.Members("a", p); len(got) != 0 {
		t.Errorf("Members = %v, want none", got)
	}
	if got := o.Users(p); len(got) != 0 {
		t.Errorf("Users = %v, want none", got)
	}
	if got := o.UnitsOf("u1", d); len(got) != 0 {
		t.Errorf("UnitsOf = %v, want none", got)
	}
}

// A directory that lists a unit twice (as Units returns it, duplicates
// included) has one group and one child of that id: the first unit with
// the id is the unit, as Has and Ancestors read it. Two groups of one id
// made every evaluation over the organisation fail.
func TestDuplicateUnitIsOneUnit(t *testing.T) {
	o, err := Load(context.Background(), testDirectory{
		units: []Unit{{ID: "a"}, {ID: "b", Parent: "a"}, {ID: "b", Parent: "a"}, {ID: "c", Parent: "a"}, {ID: "b", Parent: "c"}},
		ms:    []Membership{{User: "u1", Unit: "b"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(o.Children("a"), o.Children("c")); got != "[b c] []" {
		t.Errorf("children of a and c: %s, want [b c] []", got)
	}
	var ids []string
	for _, g := range o.Groups(date.New(2025, 3, 1), date.New(2025, 4, 1)) {
		ids = append(ids, g.ID)
	}
	if got := fmt.Sprint(ids); got != "[a b c]" {
		t.Errorf("groups %s, want [a b c]", got)
	}
	if got := o.Ancestors("b"); !slices.Equal(got, []string{"a"}) {
		t.Errorf("ancestors of b: %v, want [a]", got)
	}
}

// A unit the directory does not have has no members and nothing below it,
// itself included: memberships that name it (orphans of a unit the
// directory lost) are not its members, and Below(x, x) is false, so a
// team, a viewer's scope or a cascade node of an unknown unit covers no one.
func TestUnknownUnitIsEmpty(t *testing.T) {
	o, err := Load(context.Background(), testDirectory{
		units: []Unit{{ID: "a"}, {ID: "b", Parent: "gone"}},
		ms:    []Membership{{User: "u1", Unit: "a"}, {User: "u2", Unit: "gone"}, {User: "u3", Unit: "b"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	p := period.Period{Grain: period.Month, Start: date.New(2025, 3, 1), End: date.New(2025, 4, 1)}
	if got := o.Members("gone", p); len(got) != 0 {
		t.Errorf("Members(gone) = %v, want none", got)
	}
	if o.Below("gone", "gone") || o.Below("b", "gone") || o.Below("a", "gone") {
		t.Error("Below(_, gone) is true")
	}
	if got := o.Subtree("gone"); len(got) != 0 {
		t.Errorf("Subtree(gone) = %v, want none", got)
	}
	if got := o.Spans("gone"); len(got) != 0 {
		t.Errorf("Spans(gone) = %v, want none", got)
	}
	if g := o.Group("gone", "gone"); len(g.Members)+len(g.Spans) != 0 {
		t.Errorf("Group(gone) = %+v, want no one", g)
	}
	// The known units are as before: b, whose parent is gone, hangs from
	// the top; u2 is a user of the organisation, in no unit of it.
	if got := fmt.Sprint(o.Members("a", p), o.Members("b", p), o.Subtree("b"), o.Below("b", "b"), o.Users(p)); got != "[u1] [u3] [b] true [u1 u2 u3]" {
		t.Errorf("known units: %s", got)
	}
	// Hanging from the top, b has nothing above it: no unit the directory
	// lost, whose head no one could be.
	if got := o.Ancestors("b"); len(got) != 0 {
		t.Errorf("Ancestors(b) = %v, want none", got)
	}
}

// Ancestors walks up the tree Children describes: each unit's parent, up to
// a root or to a unit whose parent the directory does not have, and round a
// cycle once.
func TestAncestors(t *testing.T) {
	o, err := Load(context.Background(), testDirectory{units: []Unit{
		{ID: "co"}, {ID: "sales", Parent: "co"}, {ID: "north", Parent: "sales"},
		{ID: "lost", Parent: "gone"}, {ID: "team", Parent: "lost"},
		{ID: "x", Parent: "y"}, {ID: "y", Parent: "x"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for unit, want := range map[string][]string{
		"north": {"sales", "co"}, "sales": {"co"}, "co": nil, "team": {"lost"}, "lost": nil, "x": {"y"}, "nope": nil,
	} {
		if got := o.Ancestors(unit); !slices.Equal(got, want) {
			t.Errorf("Ancestors(%s) = %v, want %v", unit, got, want)
		}
		// Every ancestor has the unit below it.
		for _, a := range o.Ancestors(unit) {
			if !o.Below(unit, a) {
				t.Errorf("Ancestors(%s) holds %s, which %s is not below", unit, a, unit)
			}
		}
	}
}

// drawMemberships draws n memberships of the users u1 to u3 in the units,
// each bound open or a date within 12 days of base (empty and reversed
// ranges included).
func drawMemberships(t *rapid.T, n int, units []string, base date.Date) []Membership {
	var ms []Membership
	for i := range n {
		m := Membership{User: rapid.SampledFrom([]string{"u1", "u2", "u3"}).Draw(t, fmt.Sprint("user", i)), Unit: rapid.SampledFrom(units).Draw(t, fmt.Sprint("unit", i))}
		if rapid.Bool().Draw(t, fmt.Sprint("from?", i)) {
			m.From = base + date.Date(rapid.IntRange(0, 12).Draw(t, fmt.Sprint("from", i)))
		}
		if rapid.Bool().Draw(t, fmt.Sprint("to?", i)) {
			m.To = base + date.Date(rapid.IntRange(0, 12).Draw(t, fmt.Sprint("to", i)))
		}
		ms = append(ms, m)
	}
	return ms
}

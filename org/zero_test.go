package org

import (
	"testing"

	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// TestZeroValues reads a nil and a zero Org, and a zero Group, through
// every exported method: each is an empty organisation, as Load of a nil
// Directory gives, and none panics.
func TestZeroValues(t *testing.T) {
	p := period.Period{Grain: period.Month, Start: date.New(2025, 3, 1), End: date.New(2025, 4, 1)}
	for name, o := range map[string]*Org{"nil": nil, "zero": {}} {
		for _, tc := range []struct {
			name string
			ok   func() bool
		}{
			{"Units", func() bool { return len(o.Units()) == 0 }},
			{"Memberships", func() bool { return len(o.Memberships()) == 0 }},
			{"Has", func() bool { return !o.Has("sales") }},
			{"Subtree", func() bool { return len(o.Subtree("sales")) == 0 }},
			{"Below", func() bool { return !o.Below("sales", "sales") }},
			{"Ancestors", func() bool { return len(o.Ancestors("sales")) == 0 }},
			{"Members", func() bool { return len(o.Members("sales", p)) == 0 }},
			{"Users", func() bool { return len(o.Users(p)) == 0 }},
			{"UnitsOf", func() bool { return len(o.UnitsOf("ivanov", p.Start)) == 0 }},
			{"Heads", func() bool { return !o.Heads("ivanov", "sales") }},
			{"Spans", func() bool { return len(o.Spans("sales")) == 0 }},
			{"Group", func() bool { g := o.Group("sales", "sales"); return g.ID == "sales" && len(g.People()) == 0 }},
			{"Groups", func() bool { return len(o.Groups(p.Start, p.End)) == 0 }},
			{"Children", func() bool { return len(o.Children("")) == 0 }},
		} {
			t.Run(name+" Org."+tc.name, func(t *testing.T) {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panic: %v", r)
					}
				}()
				if !tc.ok() {
					t.Fatal("not an empty organisation")
				}
			})
		}
	}
	if got := (Group{}).People(); len(got) != 0 {
		t.Fatalf("a zero Group's people: %v", got)
	}
}

// A nil inUnit takes the memberships of every unit; it panicked.
func TestMembershipGroupOfEveryUnit(t *testing.T) {
	march := date.New(2025, 3, 1)
	ms := []Membership{{User: "a", Unit: "sales"}, {User: "b", Unit: "support", From: march}}
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panic: %v", r)
		}
	}()
	g := MembershipGroup("all", ms, nil, 0, 0)
	if len(g.Members) != 1 || g.Members[0] != "a" || len(g.Spans) != 1 || g.Spans[0] != (Span{Member: "b", From: march}) {
		t.Fatalf("got %+v", g)
	}
}

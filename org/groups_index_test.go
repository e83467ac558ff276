package org

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// The groups, spans and members of a unit, read through the index of each
// unit's memberships, are those of every membership whose unit lies below
// it: here found by walking each membership's unit up its parents (the
// first unit of an id is the unit, a parent the directory lacks is the
// top), over directories with repeated ids, orphans, cycles and
// memberships of units the directory does not have.
func TestPropSubtreeMembershipsAreEveryMembershipBelow(t *testing.T) {
	ids := []string{"a", "b", "c", "d", "e"}
	base := date.New(2025, 3, 1)
	rapid.Check(t, func(t *rapid.T) {
		var units []Unit
		for i := range rapid.IntRange(0, 7).Draw(t, "units") {
			units = append(units, Unit{ID: rapid.SampledFrom(ids).Draw(t, fmt.Sprint("id", i)),
				Parent: rapid.SampledFrom(append([]string{"", "x"}, ids...)).Draw(t, fmt.Sprint("parent", i))})
		}
		ms := drawMemberships(t, rapid.IntRange(0, 10).Draw(t, "memberships"), append([]string{"x"}, ids...), base)
		o, err := Load(context.Background(), testDirectory{units: units, ms: ms})
		if err != nil {
			t.Fatal(err)
		}
		parent := map[string]string{}
		for _, u := range units {
			if _, seen := parent[u.ID]; !seen {
				parent[u.ID] = u.Parent
			}
		}
		below := func(unit, top string) bool {
			if _, ok := parent[top]; !ok {
				return false
			}
			for seen := map[string]bool{}; !seen[unit]; unit = parent[unit] {
				if _, ok := parent[unit]; !ok {
					return false
				}
				if unit == top {
					return true
				}
				seen[unit] = true
			}
			return false
		}
		from := base + date.Date(rapid.IntRange(0, 6).Draw(t, "from"))
		to := from + date.Date(rapid.IntRange(1, 6).Draw(t, "days"))
		groups := o.Groups(from, to)
		k := 0
		for i, u := range units {
			if o.byID[u.ID] != i {
				continue
			}
			in := func(unit string) bool { return below(unit, u.ID) }
			if want := MembershipGroup(u.ID, ms, in, from, to); !reflect.DeepEqual(groups[k], want) {
				t.Fatalf("Groups: unit %s: %+v, want %+v", u.ID, groups[k], want)
			}
			if got, want := o.Group("g", u.ID), MembershipGroup("g", ms, in, 0, 0); !reflect.DeepEqual(got, want) {
				t.Fatalf("Group(%s) = %+v, want %+v", u.ID, got, want)
			}
			if got, want := o.Spans(u.ID), MembershipGroup(u.ID, ms, in, 0, 0); len(got) != len(want.Spans)+len(want.Members) {
				t.Fatalf("Spans(%s) = %+v, want the spans of %+v", u.ID, got, want)
			}
			k++
		}
		if k != len(groups) {
			t.Fatalf("%d groups, want %d", len(groups), k)
		}
	})
}

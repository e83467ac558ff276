package org

import (
	"slices"
	"testing"

	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// MembershipGroup, for any memberships (open, empty and reversed ranges
// included), any choice of units and any bounds (open or not, an empty
// range included), counts a user's events on the dates of [from, to) a
// walk over them finds: those in a membership of a chosen unit. A plain
// member is one who belonged on every date of [from, to) (both bounds
// open: at all times); the spans are sorted, disjoint and apart, none of a
// plain member, each within the bounds.
func TestPropMembershipGroupByDates(t *testing.T) {
	base := date.New(2025, 3, 1)
	rapid.Check(t, func(t *rapid.T) {
		ms := drawMemberships(t, rapid.IntRange(0, 8).Draw(t, "n"), []string{"a", "b", "c"}, base)
		chosen := map[string]bool{}
		for _, u := range []string{"a", "b", "c"} {
			chosen[u] = rapid.Bool().Draw(t, "chosen "+u)
		}
		var from, to date.Date
		if rapid.Bool().Draw(t, "from?") {
			from = base + date.Date(rapid.IntRange(-2, 14).Draw(t, "from"))
		}
		if rapid.Bool().Draw(t, "to?") {
			to = base + date.Date(rapid.IntRange(-2, 14).Draw(t, "to"))
		}
		var inUnit func(string) bool
		if rapid.Bool().Draw(t, "filtered") {
			inUnit = func(u string) bool { return chosen[u] }
		} else {
			chosen = map[string]bool{"a": true, "b": true, "c": true}
		}
		g := MembershipGroup("g", ms, inUnit, from, to)
		counts := func(user string, d date.Date) bool {
			if from != 0 && d < from || to != 0 && d >= to {
				return false
			}
			for _, m := range ms {
				if m.User == user && chosen[m.Unit] && belongs(m, d) {
					return true
				}
			}
			return false
		}
		// The dates a walk can tell apart: the bounds' neighbourhood, and
		// far before and after, where open bounds reach.
		days := []date.Date{base - 1000, base + 1000}
		for d := base - 4; d < base+16; d++ {
			days = append(days, d)
		}
		for _, user := range []string{"u1", "u2", "u3"} {
			always := true
			for _, d := range days {
				want := counts(user, d)
				if from != 0 && d < from || to != 0 && d >= to {
					continue // a plain member counts wherever the group is asked: within the bounds
				}
				if got := inGroup(g, user, d); got != want {
					t.Fatalf("%s on %s: in the group %v, want %v; group %+v", user, d, got, want, g)
				}
				if !want {
					always = false
				}
			}
			if from != 0 && to != 0 && to <= from {
				always = false // an empty range: nobody belongs
			}
			if got := slices.Contains(g.Members, user); got != always {
				t.Fatalf("%s: plain member %v, want %v; group %+v", user, got, always, g)
			}
		}
		for i, sp := range g.Spans {
			if slices.Contains(g.Members, sp.Member) || sp.From != 0 && sp.To != 0 && sp.From >= sp.To ||
				from != 0 && (sp.From == 0 || sp.From < from) || to != 0 && (sp.To == 0 || sp.To > to) {
				t.Fatalf("span %+v of %+v", sp, g)
			}
			if i > 0 {
				prev := g.Spans[i-1]
				if prev.Member > sp.Member || prev.Member == sp.Member && (prev.To == 0 || sp.From == 0 || prev.To >= sp.From) {
					t.Fatalf("spans %+v and %+v are not sorted and apart", prev, sp)
				}
			}
		}
	})
}

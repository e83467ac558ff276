package org

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// modelOrg is the directory written out by hand: the first unit listed with
// an id is the unit; a unit's chain runs up its parents until a parent the
// directory lacks, "" or one seen before.
type modelOrg struct {
	units []Unit
	ms    []Membership
}

func (m modelOrg) unit(id string) (Unit, bool) {
	for _, u := range m.units {
		if u.ID == id {
			return u, true
		}
	}
	return Unit{}, false
}

// chain is the unit and its ancestors, nearest first.
func (m modelOrg) chain(id string) []string {
	if _, ok := m.unit(id); !ok {
		return nil
	}
	out := []string{id}
	for {
		u, _ := m.unit(out[len(out)-1])
		if _, ok := m.unit(u.Parent); !ok || u.Parent == "" || slices.Contains(out, u.Parent) {
			return out
		}
		out = append(out, u.Parent)
	}
}

// below reports whether unit lies in the subtree of top: top is on its chain.
func (m modelOrg) below(unit, top string) bool { return slices.Contains(m.chain(unit), top) }

// on reports whether user belonged to the subtree of top on the date d.
func (m modelOrg) on(user, top string, d date.Date) bool {
	for _, ms := range m.ms {
		if ms.User == user && m.below(ms.Unit, top) && belongs(ms, d) {
			return true
		}
	}
	return false
}

// inGroup reports whether the group counts user's events on the date d.
func inGroup(g Group, user string, d date.Date) bool {
	if slices.Contains(g.Members, user) {
		return true
	}
	for _, sp := range g.Spans {
		if sp.Member == user && (sp.From == 0 || sp.From <= d) && (sp.To == 0 || d < sp.To) {
			return true
		}
	}
	return false
}

// Subtree, Below, Ancestors, Heads, Spans, Group and Groups answer, for any
// tree (orphans, repeated ids, cycles) and any memberships, what the hand
// model says date by date: a group counts a user's events on a date when
// one of their memberships of a unit in the subtree holds it (and, for
// Groups, the date is in the range); spans are disjoint, apart and sorted.
func TestPropTreeByDates(t *testing.T) {
	base := date.New(2025, 3, 1)
	ids := []string{"a", "b", "c", "d"}
	rapid.Check(t, func(t *rapid.T) {
		var m modelOrg
		for i := range rapid.IntRange(0, 6).Draw(t, "units") {
			m.units = append(m.units, Unit{
				ID:     rapid.SampledFrom(ids).Draw(t, fmt.Sprint("id", i)),
				Parent: rapid.SampledFrom(append([]string{"", "gone"}, ids...)).Draw(t, fmt.Sprint("parent", i)),
				Head:   rapid.SampledFrom([]string{"", "u1", "u2"}).Draw(t, fmt.Sprint("head", i)),
			})
		}
		m.ms = drawMemberships(t, rapid.IntRange(0, 6).Draw(t, "memberships"), append(ids, "gone"), base)
		o, err := Load(context.Background(), testDirectory(m))
		if err != nil {
			t.Fatal(err)
		}
		from, to := date.Date(0), date.Date(0)
		if rapid.Bool().Draw(t, "from?") {
			from = base + date.Date(rapid.IntRange(0, 12).Draw(t, "from"))
		}
		if rapid.Bool().Draw(t, "to?") {
			to = base + date.Date(rapid.IntRange(0, 12).Draw(t, "to"))
		}
		if from != 0 && to != 0 && to <= from {
			to = from + 1
		}
		groups := o.Groups(from, to)
		users := []string{"u1", "u2", "u3"}
		for _, top := range append(slices.Clone(ids), "gone") {
			var sub []string
			for _, u := range ids {
				if m.below(u, top) {
					sub = append(sub, u)
				}
			}
			if got := o.Subtree(top); !slices.Equal(got, sub) && len(got)+len(sub) > 0 {
				t.Fatalf("Subtree(%s) = %v, want %v", top, got, sub)
			}
			for _, u := range append(slices.Clone(ids), "gone") {
				if got, want := o.Below(u, top), m.below(u, top); got != want {
					t.Fatalf("Below(%s, %s) = %v, want %v", u, top, got, want)
				}
			}
			chain := m.chain(top)
			if len(chain) > 0 {
				chain = chain[1:]
			}
			if got := o.Ancestors(top); !slices.Equal(got, chain) && len(got)+len(chain) > 0 {
				t.Fatalf("Ancestors(%s) = %v, want %v", top, got, chain)
			}
			for _, user := range users {
				heads := false
				for _, a := range m.chain(top) {
					u, _ := m.unit(a)
					heads = heads || u.Head == user
				}
				if got := o.Heads(user, top); got != heads {
					t.Fatalf("Heads(%s, %s) = %v, want %v", user, top, got, heads)
				}
			}
			spans := o.Spans(top)
			for i, sp := range spans {
				if i > 0 {
					prev := spans[i-1]
					if prev.Member > sp.Member || prev.Member == sp.Member && (prev.To == 0 || sp.From == 0 || prev.To >= sp.From) {
						t.Fatalf("Spans(%s): %v then %v: not sorted and apart", top, prev, sp)
					}
				}
				if sp.From != 0 && sp.To != 0 && sp.To <= sp.From {
					t.Fatalf("Spans(%s): empty span %v", top, sp)
				}
			}
			group := o.Group("g", top)
			var dated Group
			if i := slices.IndexFunc(groups, func(g Group) bool { return g.ID == top }); i >= 0 {
				dated = groups[i]
			} else if _, ok := m.unit(top); ok {
				t.Fatalf("Groups has no group %s", top)
			}
			for _, user := range users {
				for d := base - 3; d < base+16; d++ {
					want := m.on(user, top, d)
					if got := inGroup(Group{Spans: spans}, user, d); got != want {
						t.Fatalf("Spans(%s) %v: %s on %s = %v, want %v", top, spans, user, d, got, want)
					}
					if got := inGroup(group, user, d); got != want {
						t.Fatalf("Group(%s) %+v: %s on %s = %v, want %v", top, group, user, d, got, want)
					}
					if from != 0 && d < from || to != 0 && d >= to {
						continue
					}
					if got := inGroup(dated, user, d); got != want {
						t.Fatalf("Groups(%s, %s)[%s] %+v: %s on %s = %v, want %v", from, to, top, dated, user, d, got, want)
					}
				}
			}
		}
	})
}

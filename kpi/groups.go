package kpi

import (
	"cmp"
	"context"
	"slices"

	"github.com/rickb777/date/v2"
)

// DirectoryGroups returns one group per unit of dir, in the order of
// dir.Units: the users who belonged to the unit, or to a unit below it, at
// some time in the local dates [from, to). Those who belonged to it
// throughout the range are Members; a person who joined or left during the
// range (who moved department mid-month) has Spans, the dates on which they
// belonged, clipped to the range, so that the group's values count their
// events of those dates only. Both are sorted. A unit without members in
// the range has an empty group. Scorecards use these groups as departments
// (leaderboards, competitions, pools); a person who moved during the range
// is one of the People of both departments.
func DirectoryGroups(ctx context.Context, dir Directory, from, to date.Date) ([]Group, error) {
	units, err := dir.Units(ctx)
	if err != nil {
		return nil, err
	}
	ms, err := dir.Memberships(ctx)
	if err != nil {
		return nil, err
	}
	children := map[string][]string{}
	for _, u := range units {
		if u.Parent != "" {
			children[u.Parent] = append(children[u.Parent], u.ID)
		}
	}
	var subtree func(id string, seen map[string]bool)
	subtree = func(id string, seen map[string]bool) {
		if seen[id] {
			return // a cycle in the host's data: stop
		}
		seen[id] = true
		for _, c := range children[id] {
			subtree(c, seen)
		}
	}
	groups := make([]Group, 0, len(units))
	for _, u := range units {
		in := map[string]bool{}
		subtree(u.ID, in)
		groups = append(groups, MembershipGroup(u.ID, ms, func(unit string) bool { return in[unit] }, from, to))
	}
	return groups, nil
}

// MembershipGroup builds the group of the memberships whose unit inUnit
// accepts, over the local dates [from, to): people who belonged throughout
// are Members, the others have Spans of the dates on which they belonged,
// merged per person. A zero from or to leaves that side unclipped, so that a
// group over all time counts each event by its own date.
func MembershipGroup(id string, ms []Membership, inUnit func(string) bool, from, to date.Date) Group {
	byUser := map[string][]Span{}
	for _, m := range ms {
		if !inUnit(m.Unit) || m.From != 0 && m.To != 0 && m.To <= m.From {
			continue
		}
		sp := Span{Member: m.User, From: m.From, To: m.To}
		if from != 0 && (sp.From == 0 || sp.From < from) {
			sp.From = from
		}
		if to != 0 && (sp.To == 0 || sp.To > to) {
			sp.To = to
		}
		if sp.To == 0 || sp.From < sp.To {
			byUser[m.User] = append(byUser[m.User], sp)
		}
	}
	g := Group{ID: id}
	users := make([]string, 0, len(byUser))
	for user := range byUser {
		users = append(users, user)
	}
	slices.Sort(users)
	for _, user := range users {
		spans := mergeSpans(byUser[user])
		if len(spans) == 1 && spans[0].From <= from && (spans[0].To == 0 || to != 0 && spans[0].To >= to) {
			g.Members = append(g.Members, user)
			continue
		}
		g.Spans = append(g.Spans, spans...)
	}
	return g
}

// mergeSpans merges one member's bounded spans that overlap or touch, in
// date order.
func mergeSpans(ss []Span) []Span {
	slices.SortFunc(ss, func(a, b Span) int { return cmp.Compare(a.From, b.From) })
	out := []Span{ss[0]}
	for _, s := range ss[1:] {
		last := &out[len(out)-1]
		if last.To == 0 || s.From <= last.To { // an open end covers everything after it
			if last.To != 0 && (s.To == 0 || s.To > last.To) {
				last.To = s.To
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// People returns everyone the group holds, its Members and the members of
// its Spans, sorted and without repeats.
func (g Group) People() []string {
	out := slices.Clone(g.Members)
	for _, sp := range g.Spans {
		out = append(out, sp.Member)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

package kpi

import (
	"context"
	"slices"

	"github.com/rickb777/date/v2"
)

// DirectoryGroups returns one group per unit of dir, in the order of
// dir.Units: the users who belonged to the unit, or to a unit below it, at
// some time in the local dates [from, to), sorted. A unit without members
// in the range has a group without members. Scorecards use these groups as
// departments (leaderboards, competitions, pools); a person who moved
// during the range counts in both departments.
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
		var members []string
		for _, m := range ms {
			if in[m.Unit] && (m.From == 0 || m.From < to) && (m.To == 0 || m.To > from) {
				members = append(members, m.User)
			}
		}
		slices.Sort(members)
		groups = append(groups, Group{ID: u.ID, Members: slices.Compact(members)})
	}
	return groups, nil
}

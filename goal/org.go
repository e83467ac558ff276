package goal

import (
	"context"
	"fmt"
	"slices"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// Org is a snapshot of the host's organisation: units (companies,
// departments, teams) in a tree, and who belonged to which unit when. Goals
// read team members from it and the default visibility policy reads heads
// and memberships. It is immutable and safe for concurrent use.
type Org struct {
	units    map[string]orgUnit
	children map[string][]string
	ms       []kpi.Membership
}

type orgUnit struct {
	id, parent, head string
}

// LoadOrg reads the host's Directory.
func LoadOrg(ctx context.Context, dir kpi.Directory) (*Org, error) {
	us, err := dir.Units(ctx)
	if err != nil {
		return nil, fmt.Errorf("directory: units: %w", err)
	}
	ms, err := dir.Memberships(ctx)
	if err != nil {
		return nil, fmt.Errorf("directory: memberships: %w", err)
	}
	o := &Org{units: map[string]orgUnit{}, children: map[string][]string{}, ms: slices.Clone(ms)}
	for _, u := range us {
		o.units[u.ID] = orgUnit{id: u.ID, parent: u.Parent, head: u.Head}
	}
	for _, u := range us {
		if u.Parent != "" && u.Parent != u.ID {
			o.children[u.Parent] = append(o.children[u.Parent], u.ID)
		}
	}
	for k := range o.children {
		slices.Sort(o.children[k])
	}
	return o, nil
}

// HasUnit reports whether the organisation has a unit with the id.
func (o *Org) HasUnit(id string) bool {
	_, ok := o.units[id]
	return ok
}

// Subtree returns the unit and every unit below it, sorted. A cycle in the
// host's tree is cut where it closes.
func (o *Org) Subtree(unit string) []string {
	seen := map[string]bool{}
	var walk func(u string)
	walk = func(u string) {
		if seen[u] {
			return
		}
		seen[u] = true
		for _, c := range o.children[u] {
			walk(c)
		}
	}
	walk(unit)
	out := make([]string, 0, len(seen))
	for u := range seen {
		out = append(out, u)
	}
	slices.Sort(out)
	return out
}

// Ancestors returns the unit's parent, its parent's parent and so on, nearest
// first.
func (o *Org) Ancestors(unit string) []string {
	var out []string
	seen := map[string]bool{unit: true}
	for u := o.units[unit].parent; u != "" && !seen[u]; u = o.units[u].parent {
		seen[u] = true
		out = append(out, u)
	}
	return out
}

// overlaps reports whether a membership overlaps the dates [from, to).
func overlaps(m kpi.Membership, from, to date.Date) bool {
	if m.From != 0 && m.From >= to {
		return false
	}
	if m.To != 0 && m.To <= from {
		return false
	}
	return true
}

// Members returns the users who belonged to the unit or a unit below it at
// some time in the period, sorted.
func (o *Org) Members(unit string, p period.Period) []string {
	sub := o.Subtree(unit)
	var out []string
	for _, m := range o.ms {
		if slices.Contains(sub, m.Unit) && overlaps(m, p.Start, p.End) {
			out = append(out, m.User)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Group returns the kpi group of the unit and the units below it, named id:
// each person's events count for it on the dates they belonged, so a person
// who moved mid-period is credited to each team for its own part.
func (o *Org) Group(id, unit string) kpi.Group {
	sub := o.Subtree(unit)
	return kpi.MembershipGroup(id, o.ms, func(u string) bool { return slices.Contains(sub, u) }, 0, 0)
}

// Users returns every user with a membership at some time in the period,
// sorted.
func (o *Org) Users(p period.Period) []string {
	var out []string
	for _, m := range o.ms {
		if overlaps(m, p.Start, p.End) {
			out = append(out, m.User)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// UnitsOf returns the units the user belonged to on the date d, sorted.
func (o *Org) UnitsOf(user string, d date.Date) []string {
	var out []string
	for _, m := range o.ms {
		if m.User == user && overlaps(m, d, d+1) {
			out = append(out, m.Unit)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Heads reports whether user heads the unit or a unit above it.
func (o *Org) Heads(user, unit string) bool {
	if user == "" {
		return false
	}
	if o.units[unit].head == user {
		return true
	}
	for _, a := range o.Ancestors(unit) {
		if o.units[a].head == user {
			return true
		}
	}
	return false
}

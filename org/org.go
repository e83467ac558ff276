package org

import (
	"context"
	"fmt"
	"iter"
	"slices"

	"github.com/goalkit/goalkit/internal/display"

	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// Org is a snapshot of the host's Directory: units in a tree and who
// belonged to which unit when. Every engine of one report reads the same
// Org. It is immutable and safe for concurrent use. A nil or zero Org is an
// empty organisation, as Load of a nil Directory gives.
type Org struct {
	units    []Unit
	byID     map[string]int      // first unit with the id
	children map[string][]string // in the directory's order; "" holds the roots and orphans
	ms       []Membership
	byUser   map[string][]int // indexes in ms of each user's memberships
	byUnit   map[string][]int // indexes in ms of each unit's memberships
}

// Load reads the host's Directory once. A nil Directory is an empty
// organisation.
func Load(ctx context.Context, dir Directory) (*Org, error) {
	o := &Org{byID: map[string]int{}, children: map[string][]string{}}
	if dir == nil {
		return o, nil
	}
	us, err := dir.Units(ctx)
	if err != nil {
		return nil, fmt.Errorf("directory: units: %w", err)
	}
	ms, err := dir.Memberships(ctx)
	if err != nil {
		return nil, fmt.Errorf("directory: memberships: %w", err)
	}
	// Ids the organisation gives a meaning of its own are refused: "" is
	// the parent of the top units (a unit of that id held the whole
	// company), "*" the whole company's row, and a membership of no user
	// credited a unit with the events that name no actor.
	for i, u := range us {
		if u.ID == "" || u.ID == Everyone {
			return nil, fmt.Errorf("directory: units[%d]: unit id %q is not allowed (%s)", i, u.ID, reserved(u.ID))
		}
		// An id no event's actor may have (a control character, bytes
		// that are not UTF-8) could never match one, and the engines'
		// definitions refuse such ids.
		for _, f := range [...]struct{ what, id string }{{"unit id", u.ID}, {"parent", u.Parent}, {"head", u.Head}} {
			if bad := display.IDProblem(f.id); bad != "" {
				return nil, fmt.Errorf("directory: units[%d]: %s %q %s", i, f.what, f.id, bad)
			}
		}
	}
	for i, m := range ms {
		if m.User == "" || m.User == Everyone {
			return nil, fmt.Errorf("directory: memberships[%d]: user %q of unit %q is not allowed (%s)", i, m.User, m.Unit, reserved(m.User))
		}
		for _, f := range [...]struct{ what, id string }{{"user", m.User}, {"unit", m.Unit}} {
			if bad := display.IDProblem(f.id); bad != "" {
				return nil, fmt.Errorf("directory: memberships[%d]: %s %q %s", i, f.what, f.id, bad)
			}
		}
	}
	o.units, o.ms = slices.Clone(us), slices.Clone(ms)
	o.byUser, o.byUnit = make(map[string][]int), make(map[string][]int)
	for i, m := range ms {
		o.byUser[m.User] = append(o.byUser[m.User], i)
		o.byUnit[m.Unit] = append(o.byUnit[m.Unit], i)
	}
	for i, u := range us {
		if _, dup := o.byID[u.ID]; !dup {
			o.byID[u.ID] = i
		}
	}
	for i, u := range us {
		if o.byID[u.ID] != i {
			continue // a repeat: the first unit with the id is the unit
		}
		parent := u.Parent
		if _, ok := o.byID[parent]; !ok {
			parent = "" // an orphan hangs from the top
		}
		if parent != u.ID {
			o.children[parent] = append(o.children[parent], u.ID)
		}
	}
	return o, nil
}

// none is the empty organisation a nil *Org reads as.
var none = &Org{}

// orNone returns o, or the empty organisation for a nil o.
func (o *Org) orNone() *Org {
	if o == nil {
		return none
	}
	return o
}

// reserved says what the id "" or "*" stands for.
func reserved(id string) string {
	if id == "" {
		return "an empty id"
	}
	return "the whole company's row"
}

// Units returns the units in the directory's order, duplicates included:
// a copy, which the caller may sort or change without changing the Org.
func (o *Org) Units() []Unit {
	o = o.orNone()
	return slices.Clone(o.units)
}

// Memberships returns the memberships in the directory's order: a copy, as
// Units returns.
func (o *Org) Memberships() []Membership {
	o = o.orNone()
	return slices.Clone(o.ms)
}

// Has reports whether the organisation has a unit with the id.
func (o *Org) Has(unit string) bool {
	o = o.orNone()
	_, ok := o.byID[unit]
	return ok
}

func (o *Org) unit(id string) Unit {
	o = o.orNone()
	if i, ok := o.byID[id]; ok {
		return o.units[i]
	}
	return Unit{}
}

// inSubtree returns the unit and the units below it; a cycle in the host's
// tree is cut where it closes. A unit the directory does not have has none,
// itself included.
func (o *Org) inSubtree(unit string) map[string]bool {
	seen := map[string]bool{}
	if !o.Has(unit) {
		return seen
	}
	var walk func(string)
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
	return seen
}

// subtreeMemberships yields the memberships of the unit and the units
// below it, through the index of each unit's memberships, so that the
// groups of every unit cost the memberships times the tree's depth, not
// times the units. The order is no one's: each reader sorts what it makes.
func (o *Org) subtreeMemberships(unit string) iter.Seq[Membership] {
	return func(yield func(Membership) bool) {
		for u := range o.inSubtree(unit) {
			for _, i := range o.byUnit[u] {
				if !yield(o.ms[i]) {
					return
				}
			}
		}
	}
}

// Subtree returns the unit and every unit below it, sorted; none for a unit
// the directory does not have.
func (o *Org) Subtree(unit string) []string {
	out := make([]string, 0, 4)
	for u := range o.inSubtree(unit) {
		out = append(out, u)
	}
	slices.Sort(out)
	return out
}

// Below reports whether unit is parent or lies below it; it is false when
// the directory does not have parent.
func (o *Org) Below(unit, parent string) bool { return o.inSubtree(parent)[unit] }

// Ancestors returns the unit's parent, its parent's parent and so on,
// nearest first, up to a root or to a unit whose parent the directory does
// not have (it hangs from the top, as Children has it).
func (o *Org) Ancestors(unit string) []string {
	var out []string
	seen := map[string]bool{unit: true}
	for u := o.unit(unit).Parent; u != "" && !seen[u] && o.Has(u); u = o.unit(u).Parent {
		seen[u] = true
		out = append(out, u)
	}
	return out
}

// overlaps reports whether the dates [from, to) (zero: open) meet p. An
// empty range (to at or before from) holds no date, so it meets nothing, as
// it adds no span to a group.
func overlaps(from, to date.Date, p period.Period) bool {
	if from != 0 && to != 0 && to <= from {
		return false
	}
	return (from == 0 || from < p.End) && (to == 0 || to > p.Start)
}

// Members returns the users who belonged to the unit or a unit below it at
// some time in the period, sorted. A unit the directory does not have has
// none, though memberships name it.
func (o *Org) Members(unit string, p period.Period) []string {
	o = o.orNone()
	var out []string
	for m := range o.subtreeMemberships(unit) {
		if overlaps(m.From, m.To, p) {
			out = append(out, m.User)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Users returns every user with a membership at some time in the period,
// sorted.
func (o *Org) Users(p period.Period) []string {
	o = o.orNone()
	var out []string
	for _, m := range o.ms {
		if overlaps(m.From, m.To, p) {
			out = append(out, m.User)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// UnitsOf returns the units the user belonged to on the date d, sorted.
func (o *Org) UnitsOf(user string, d date.Date) []string {
	o = o.orNone()
	var out []string
	for _, i := range o.byUser[user] {
		if m := o.ms[i]; overlaps(m.From, m.To, period.Period{Start: d, End: d + 1}) {
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
	if o.unit(unit).Head == user {
		return true
	}
	for _, a := range o.Ancestors(unit) {
		if o.unit(a).Head == user {
			return true
		}
	}
	return false
}

// Spans returns the dated membership of the unit's subtree: for each user,
// the local dates on which they belonged to the unit or a unit below it,
// merged into disjoint spans, sorted by user and date; none for a unit the
// directory does not have.
func (o *Org) Spans(unit string) []Span {
	o = o.orNone()
	by := map[string][]Span{}
	for m := range o.subtreeMemberships(unit) {
		if m.To == 0 || m.From == 0 || m.From < m.To {
			by[m.User] = append(by[m.User], Span{Member: m.User, From: m.From, To: m.To})
		}
	}
	users := make([]string, 0, len(by))
	for u := range by {
		users = append(users, u)
	}
	slices.Sort(users)
	var out []Span
	for _, u := range users {
		out = append(out, mergeSpans(by[u])...)
	}
	return out
}

// Group returns the group of the unit and the units below it, named id: each
// person's events count for it on the dates they belonged, so a person who
// moved mid-period is credited to each team for its own part. The group of
// a unit the directory does not have is empty.
func (o *Org) Group(id, unit string) Group {
	o = o.orNone()
	return membershipGroup(id, o.subtreeMemberships(unit), nil, 0, 0)
}

// Groups returns one group per unit, named by the unit's id, of the people
// who belonged to it or a unit below it on the dates [from, to); a unit the
// directory lists twice has one group.
func (o *Org) Groups(from, to date.Date) []Group {
	o = o.orNone()
	groups := make([]Group, 0, len(o.units))
	for i, u := range o.units {
		if o.byID[u.ID] != i {
			continue
		}
		groups = append(groups, membershipGroup(u.ID, o.subtreeMemberships(u.ID), nil, from, to))
	}
	return groups
}

// Children returns the units right below unit, in the directory's order,
// each id once (a unit listed twice is where it is listed first);
// Children("") returns the roots, with the units whose parent is not in the
// directory. It returns a copy, as Units does.
func (o *Org) Children(unit string) []string {
	o = o.orNone()
	return slices.Clone(o.children[unit])
}

package cascade

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// org is a snapshot of the host's Directory, as cascades read it.
type org struct {
	units    []kpi.OrgUnit
	byID     map[string]int
	children map[string][]string // in the directory's order; "" holds the roots
	ms       []kpi.Membership
}

func loadOrg(ctx context.Context, dir kpi.Directory) (*org, error) {
	o := &org{byID: map[string]int{}, children: map[string][]string{}}
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
	o.units, o.ms = slices.Clone(us), slices.Clone(ms)
	for i, u := range us {
		if _, dup := o.byID[u.ID]; !dup {
			o.byID[u.ID] = i
		}
	}
	for _, u := range us {
		parent := u.Parent
		if _, ok := o.byID[parent]; !ok {
			parent = "" // an orphan hangs from the top (and is reported)
		}
		if parent != u.ID {
			o.children[parent] = append(o.children[parent], u.ID)
		}
	}
	return o, nil
}

func (o *org) has(unit string) bool {
	_, ok := o.byID[unit]
	return ok
}

// subtree returns the unit and the units below it; a cycle is cut where it
// closes.
func (o *org) subtree(unit string) map[string]bool {
	seen := map[string]bool{}
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

// below reports whether unit is parent or lies below it.
func (o *org) below(unit, parent string) bool { return o.subtree(parent)[unit] }

// spans returns the dated membership of the unit's subtree: for each user,
// the local dates on which they belonged to the unit or a unit below it,
// merged into disjoint spans, sorted by user and date.
func (o *org) spans(unit string) []kpi.Span {
	sub := o.subtree(unit)
	by := map[string][]kpi.Span{}
	for _, m := range o.ms {
		if sub[m.Unit] && (m.To == 0 || m.From == 0 || m.From < m.To) {
			by[m.User] = append(by[m.User], kpi.Span{Member: m.User, From: m.From, To: m.To})
		}
	}
	users := make([]string, 0, len(by))
	for u := range by {
		users = append(users, u)
	}
	slices.Sort(users)
	var out []kpi.Span
	for _, u := range users {
		out = append(out, mergeSpans(by[u])...)
	}
	return out
}

// mergeSpans merges overlapping or touching spans of one member. A zero From
// is the beginning of time and a zero To its end.
func mergeSpans(ss []kpi.Span) []kpi.Span {
	const inf = date.Date(1<<31 - 1)
	start := func(s kpi.Span) date.Date {
		if s.From == 0 {
			return -inf
		}
		return s.From
	}
	end := func(s kpi.Span) date.Date {
		if s.To == 0 {
			return inf
		}
		return s.To
	}
	slices.SortFunc(ss, func(a, b kpi.Span) int { return cmp.Compare(start(a), start(b)) })
	out := []kpi.Span{ss[0]}
	for _, s := range ss[1:] {
		last := &out[len(out)-1]
		if start(s) <= end(*last) {
			if end(s) > end(*last) {
				last.To = s.To
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// members returns the users who belonged to the unit or a unit below it at
// some time in p, sorted.
func (o *org) members(unit string, p period.Period) []string {
	sub := o.subtree(unit)
	var out []string
	for _, m := range o.ms {
		if sub[m.Unit] && overlaps(m.From, m.To, p) {
			out = append(out, m.User)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func overlaps(from, to date.Date, p period.Period) bool {
	return (from == 0 || from < p.End) && (to == 0 || to > p.Start)
}

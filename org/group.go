package org

import (
	"cmp"
	"iter"
	"slices"

	"github.com/rickb777/date/v2"
)

// Everyone is the participant id of the row for all events together: the
// whole company.
const Everyone = "*"

// Group is a named set of participants evaluated together: a team, a
// department. Members belong to it for every period; Spans for the local
// dates of each span only, so that a person who moves to another department
// mid-month is credited to the old one for the events before the move and to
// the new one after it.
type Group struct {
	ID      string   `json:"id"`
	Members []string `json:"members,omitempty"`
	Spans   []Span   `json:"spans,omitempty"`
}

// Span is a dated membership of a group: Member's events on the local dates
// [From, To) count for the group. A zero From or To leaves that side open.
type Span struct {
	Member string    `json:"member"`
	From   date.Date `json:"from,omitzero"`
	To     date.Date `json:"to,omitzero"`
}

// People returns every member of the group, dated or not, sorted.
func (g Group) People() []string {
	out := slices.Clone(g.Members)
	for _, sp := range g.Spans {
		out = append(out, sp.Member)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// MembershipGroup builds the group named id of the memberships in units for
// which inUnit is true, clipped to the dates [from, to) (a zero bound leaves
// that side open). A member who belonged for all of [from, to) is a plain
// member; the others are dated spans. A nil inUnit takes every unit.
func MembershipGroup(id string, ms []Membership, inUnit func(string) bool, from, to date.Date) Group {
	return membershipGroup(id, slices.Values(ms), inUnit, from, to)
}

// membershipGroup is MembershipGroup of the memberships ms yields, in any
// order: a member's spans are merged in order of their start, and the
// members sorted.
func membershipGroup(id string, ms iter.Seq[Membership], inUnit func(string) bool, from, to date.Date) Group {
	byUser := map[string][]Span{}
	for m := range ms {
		if inUnit != nil && !inUnit(m.Unit) || m.From != 0 && m.To != 0 && m.To <= m.From {
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

// mergeSpans merges the overlapping or touching spans of one member, in
// order of their start. A zero From is the beginning of time and a zero To
// its end.
func mergeSpans(ss []Span) []Span {
	const inf = date.Date(1<<31 - 1)
	start := func(s Span) date.Date {
		if s.From == 0 {
			return -inf
		}
		return s.From
	}
	end := func(s Span) date.Date {
		if s.To == 0 {
			return inf
		}
		return s.To
	}
	slices.SortFunc(ss, func(a, b Span) int { return cmp.Compare(start(a), start(b)) })
	out := []Span{ss[0]}
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

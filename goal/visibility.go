package goal

import (
	"slices"

	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
)

// Viewer is who looks at a report.
type Viewer struct {
	// User is the viewer's user id.
	User string
	// Admin sees everything.
	Admin bool
}

// Subject is what a report row is about, for a visibility decision.
type Subject struct {
	// Goal is the goal's id; empty for rows that are not goal rows (the
	// values of indicators).
	Goal string
	// Visibility is the goal's visibility setting.
	Visibility Visibility
	// Participant is the user id, the team (unit) id, or "*" for the company.
	Participant string
	Kind        ParticipantKind
}

// VisibilityPolicy decides who sees which rows. Hosts replace it to match
// their own access rules; DefaultVisibility is the usual one.
type VisibilityPolicy interface {
	CanSee(v Viewer, s Subject) bool
}

// VisibilityFunc adapts a function to the VisibilityPolicy interface.
type VisibilityFunc func(v Viewer, s Subject) bool

// CanSee calls f.
func (f VisibilityFunc) CanSee(v Viewer, s Subject) bool { return f(v, s) }

// DefaultVisibility is the usual visibility over an organisation, on a date (the
// memberships of that day count):
//
//   - an admin sees everything;
//   - everyone sees the company's rows and the rows of public goals;
//   - a user sees their own rows;
//   - a user sees the rows of the teams they belong to (the team or a unit
//     below it), unless the goal is private;
//   - the head of a unit sees the rows of that unit, of every unit below it
//     and of every user who belongs to one of them.
//
// A nil Org knows no teams and no heads: users see their own rows and the
// company's.
type DefaultVisibility struct {
	Org  *org.Org
	Date date.Date
}

// CanSee implements VisibilityPolicy.
func (p DefaultVisibility) CanSee(v Viewer, s Subject) bool {
	if v.Admin {
		return true
	}
	if s.Kind == Company || s.Visibility == Public {
		return true
	}
	if v.User == "" {
		return false
	}
	switch s.Kind {
	case User:
		if s.Participant == v.User {
			return true
		}
		if p.Org == nil {
			return false
		}
		for _, u := range p.Org.UnitsOf(s.Participant, p.Date) {
			if p.Org.Heads(v.User, u) {
				return true
			}
		}
	case Team:
		if p.Org == nil {
			return false
		}
		if p.Org.Heads(v.User, s.Participant) {
			return true
		}
		if s.Visibility == Private {
			return false
		}
		sub := p.Org.Subtree(s.Participant)
		for _, u := range p.Org.UnitsOf(v.User, p.Date) {
			if slices.Contains(sub, u) {
				return true
			}
		}
	}
	return false
}

// Subject returns the visibility subject of the row.
func (r *Row) Subject() Subject {
	return Subject{Goal: r.Goal, Visibility: r.Visibility, Participant: r.Participant, Kind: r.Kind}
}

// ForViewer returns the part of the result the viewer may see under the
// policy: the rows it allows, and the notifications and corrections of
// those rows only, matched by goal, participant kind and participant (a
// user and a team of one id are different rows). One whose participant
// kind is unknown is shown when every row of its goal and participant is;
// one that belongs to no row of the result is shown to admins only. A nil
// policy allows everything to admins only. A nil row (a result a host
// built itself) is left out.
func (r *Result) ForViewer(v Viewer, p VisibilityPolicy) *Result {
	if p == nil {
		p = VisibilityFunc(func(v Viewer, _ Subject) bool { return v.Admin })
	}
	out := &Result{AsOf: r.AsOf}
	type key struct {
		goal        string
		kind        ParticipantKind
		participant string
	}
	allowed := map[key]bool{}
	for _, row := range r.Rows {
		if row == nil {
			continue // a host's hole: nothing to see
		}
		ok := p.CanSee(v, row.Subject())
		allowed[key{row.Goal, row.Kind, row.Participant}] = ok
		// The kind-blind entry holds whether every row of the goal and
		// participant is allowed.
		blind := key{row.Goal, "", row.Participant}
		prev, seen := allowed[blind]
		allowed[blind] = ok && (!seen || prev)
		if ok {
			out.Rows = append(out.Rows, row)
		}
	}
	see := func(goal string, kind ParticipantKind, participant string) bool {
		ok, known := allowed[key{goal, kind, participant}]
		return ok || (!known && v.Admin)
	}
	for _, n := range r.Notifications {
		if see(n.Goal, n.ParticipantKind, n.Participant) {
			out.Notifications = append(out.Notifications, n)
		}
	}
	for _, c := range r.Corrections {
		if see(c.Goal, c.ParticipantKind, c.Participant) {
			out.Corrections = append(out.Corrections, c)
		}
	}
	return out
}

package serve

import (
	"context"
	"slices"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/score"
)

// scope is what one identity may see of reports as of one instant: the
// visibility policy (the host's, or goal.DefaultVisibility over the
// directory on the report's date) widened by the identity's teams.
type scope struct {
	id  Identity
	org *org.Org
	pol goal.VisibilityPolicy
	// plan says what a leaderboard's standings are (Plan.StandingKind).
	plan *goalkit.Plan
	// actors are the participants whose rows of values are actors', of
	// the values actorsOf.
	actors   map[string]bool
	actorsOf *kpi.Result
}

// scopeOf returns the scope of id as of asOf.
func (s *Server) scopeOf(id Identity, asOf time.Time) *scope {
	o := s.org.Load()
	base := s.cfg.Policy
	if base == nil {
		base = goal.DefaultVisibility{Org: o, Date: s.plan.Calendar().Date(asOf)}
	}
	sc := &scope{id: id, org: o, pol: base, plan: s.plan}
	if len(id.Teams) > 0 && !id.Viewer.Admin {
		d := s.plan.Calendar().Date(asOf)
		var units []string
		for _, t := range id.Teams {
			units = append(units, o.Subtree(t)...)
		}
		sc.pol = goal.VisibilityFunc(func(v goal.Viewer, sub goal.Subject) bool {
			if base.CanSee(v, sub) {
				return true
			}
			switch sub.Kind {
			case goal.Team:
				return slices.Contains(units, sub.Participant)
			case goal.User:
				for _, u := range o.UnitsOf(sub.Participant, d) {
					if slices.Contains(units, u) {
						return true
					}
				}
			}
			return false
		})
	}
	return sc
}

// kind is the participant kind of a participant of rep: what the values
// say of their row (a unit whose id is also an actor's has no row of its
// own there: the row is the actor's), else a unit of the directory is a
// team.
func (sc *scope) kind(rep *goalkit.Report, participant string) goal.ParticipantKind {
	switch {
	case participant == org.Everyone:
		return goal.Company
	case rep != nil && rep.Values != nil && rep.Values.IsGroup(participant):
		return goal.Team
	case rep != nil && rep.Values != nil && sc.actorRow(rep.Values, participant):
		return goal.User
	case sc.org.Has(participant):
		return goal.Team
	}
	return goal.User
}

// actorRow reports whether participant's row of values is an actor's.
func (sc *scope) actorRow(values *kpi.Result, participant string) bool {
	if sc.actorsOf != values {
		sc.actors, sc.actorsOf = map[string]bool{}, values
		for _, p := range values.Participants() {
			if !values.IsGroup(p) {
				sc.actors[p] = true
			}
		}
	}
	return sc.actors[participant]
}

// seesAs reports whether the scope lets its viewer see participant as a
// participant of kind k.
func (sc *scope) seesAs(participant string, k goal.ParticipantKind) bool {
	return sc.pol.CanSee(sc.id.Viewer, goal.Subject{Participant: participant, Kind: k})
}

// sees reports whether the scope lets its viewer see participant's rows of
// indicator values.
func (sc *scope) sees(rep *goalkit.Report, participant string) bool {
	return sc.seesAs(participant, sc.kind(rep, participant))
}

// report returns rep as the scope may see it: Report.ForViewer, and the
// standings of leaderboards and competitions cut to the participants the
// scope sees unless they are public; a leaderboard that lost standings to
// the cut has no count of those ranked (score.Board.Ranked).
func (sc *scope) report(rep *goalkit.Report, publicStandings bool) *goalkit.Report {
	out := rep.ForViewer(sc.id.Viewer, sc.pol)
	if out.Scores == nil || publicStandings || sc.id.Viewer.Admin {
		return out
	}
	sco := *out.Scores
	// A board's standings are of one level, whatever else shares an id
	// with them: a departments board ranks units, a people board users,
	// and a competition departments.
	cut := func(ss []score.Standing, k goal.ParticipantKind) []score.Standing {
		return slices.DeleteFunc(slices.Clone(ss), func(st score.Standing) bool { return !sc.seesAs(st.Participant, k) })
	}
	sco.Leaderboards = slices.Clone(sco.Leaderboards)
	for i := range sco.Leaderboards {
		b := &sco.Leaderboards[i]
		n := len(b.Standings)
		b.Standings = cut(b.Standings, sc.plan.StandingKind(b.Leaderboard))
		if len(b.Standings) < n {
			// The count of those ranked before the board's top would
			// tell how many the viewer may not see: a board cut to the
			// scope says none (its key is left out).
			b.Ranked = 0
		}
	}
	sco.Competitions = slices.Clone(sco.Competitions)
	for i := range sco.Competitions {
		c := &sco.Competitions[i]
		c.Standings = cut(c.Standings, goal.Team)
		c.Winners = slices.DeleteFunc(slices.Clone(c.Winners), func(p string) bool { return !sc.seesAs(p, goal.Team) })
	}
	out.Scores = &sco
	return out
}

// explanation returns ex as the scope may see it: the events of actors the
// scope does not see are left out of the included and excluded lists, and
// the counts of excluded events, which would count them, are dropped.
// Admins see it whole.
func (sc *scope) explanation(ex *kpi.Explanation) *kpi.Explanation {
	if sc.id.Viewer.Admin || ex == nil {
		return ex
	}
	out := *ex
	actor := func(a string) bool {
		return sc.pol.CanSee(sc.id.Viewer, goal.Subject{Participant: a, Kind: goal.User})
	}
	out.Included = slices.DeleteFunc(slices.Clone(ex.Included), func(c kpi.Contribution) bool { return !actor(c.Actor) })
	out.Excluded = slices.DeleteFunc(slices.Clone(ex.Excluded), func(c kpi.Exclusion) bool { return !actor(c.Actor) })
	out.ExcludedCounts = nil
	out.Inputs = make([]*kpi.Explanation, len(ex.Inputs))
	for i, in := range ex.Inputs {
		out.Inputs[i] = sc.explanation(in)
	}
	return &out
}

// ctxIdentity is the context key of the request's identity.
type ctxIdentity struct{}

// identityFrom returns the identity a request's context carries for the
// viewer v: the authenticated one when it is v's, else v with the reader
// role and no teams.
func identityFrom(ctx context.Context, v goal.Viewer) Identity {
	if id, ok := ctx.Value(ctxIdentity{}).(Identity); ok && id.Viewer == v {
		return id
	}
	return Identity{Viewer: v, Role: Reader}
}

// withIdentity returns ctx carrying id, as the server's handlers pass it to
// the dashboard.
func withIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, ctxIdentity{}, id)
}

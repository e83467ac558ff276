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
}

// scopeOf returns the scope of id as of asOf.
func (s *Server) scopeOf(id Identity, asOf time.Time) *scope {
	o := s.org.Load()
	base := s.cfg.Policy
	if base == nil {
		base = goal.DefaultVisibility{Org: o, Date: s.plan.Calendar().Date(asOf)}
	}
	sc := &scope{id: id, org: o, pol: base}
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

// kind is the participant kind of a participant of rep.
func (sc *scope) kind(rep *goalkit.Report, participant string) goal.ParticipantKind {
	switch {
	case participant == org.Everyone:
		return goal.Company
	case rep != nil && rep.Values != nil && rep.Values.IsGroup(participant), sc.org.Has(participant):
		return goal.Team
	}
	return goal.User
}

// sees reports whether the scope lets its viewer see participant's rows of
// indicator values.
func (sc *scope) sees(rep *goalkit.Report, participant string) bool {
	return sc.pol.CanSee(sc.id.Viewer, goal.Subject{Participant: participant, Kind: sc.kind(rep, participant)})
}

// report returns rep as the scope may see it: Report.ForViewer, and the
// standings of leaderboards and competitions cut to the participants the
// scope sees unless they are public.
func (sc *scope) report(rep *goalkit.Report, publicStandings bool) *goalkit.Report {
	out := rep.ForViewer(sc.id.Viewer, sc.pol)
	if out.Scores == nil || publicStandings || sc.id.Viewer.Admin {
		return out
	}
	sco := *out.Scores
	see := func(p string) bool { return sc.sees(rep, p) }
	cut := func(ss []score.Standing) []score.Standing {
		return slices.DeleteFunc(slices.Clone(ss), func(st score.Standing) bool { return !see(st.Participant) })
	}
	sco.Leaderboards = slices.Clone(sco.Leaderboards)
	for i := range sco.Leaderboards {
		sco.Leaderboards[i].Standings = cut(sco.Leaderboards[i].Standings)
	}
	sco.Competitions = slices.Clone(sco.Competitions)
	for i := range sco.Competitions {
		c := &sco.Competitions[i]
		c.Standings = cut(c.Standings)
		c.Winners = slices.DeleteFunc(slices.Clone(c.Winners), func(p string) bool { return !see(p) })
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

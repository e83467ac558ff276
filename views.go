package goalkit

import (
	"slices"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalstats"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/score"
)

// ForViewer returns the report as the viewer may see it under the policy:
// the values, goal rows, notifications, corrections, scorecards, bonuses,
// badges and cascade nodes of the participants the policy lets them see (a
// user, a team, the company "*"; see cascade.Result.Prune), and the changes
// of those participants, the shares of the others in a change merged into
// one part "(others)". A card, its payouts and its badges are of the kind
// the plan says (Plan.CardKind): a unit the scorecard names is judged as
// the unit, also when its id is an actor's; the warning that the unit's row
// of values is the actor's goes to whoever sees the unit, as to whoever
// sees the actor. A visible payout from a pool keeps its PoolShare: the
// sum of the team's weights, which the share and the pool's amount give
// away all but exactly anyway. The goal statistics are computed again from
// what the viewer sees, with the tallies of the units they may see alone.
// Leaderboards and competitions are public standings and stay whole. A nil
// policy is goal.DefaultVisibility without an organisation: users see
// their own rows and the company's; admins see everything.
func (r *Report) ForViewer(v goal.Viewer, pol goal.VisibilityPolicy) *Report {
	if pol == nil {
		pol = goal.DefaultVisibility{}
	}
	kind := func(participant string) goal.ParticipantKind {
		switch {
		case participant == org.Everyone:
			return goal.Company
		case r.Values != nil && r.Values.IsGroup(participant):
			return goal.Team
		}
		return goal.User
	}
	see := func(participant string) bool {
		return pol.CanSee(v, goal.Subject{Participant: participant, Kind: kind(participant)})
	}
	// A card (and a payout on it) is a group's where the plan says so
	// (Plan.CardKind): a unit the scorecard names is scored on its own row,
	// also when its id is an actor's, whose row of values it is not.
	seeCard := func(scorecard, participant string) bool {
		if r.def == nil {
			return see(participant)
		}
		return pol.CanSee(v, goal.Subject{Participant: participant, Kind: r.def.cardKind(r, scorecard, participant)})
	}
	seePayout := func(bonus, participant string) bool {
		if r.def == nil {
			return see(participant)
		}
		return pol.CanSee(v, goal.Subject{Participant: participant, Kind: r.def.payoutKind(r, bonus, participant)})
	}
	seeAward := func(a score.Award) bool {
		if r.def == nil {
			return see(a.Participant)
		}
		return pol.CanSee(v, goal.Subject{Participant: a.Participant, Kind: r.def.awardKind(r, a)})
	}
	out := *r
	if r.Values != nil {
		out.Values = r.Values.View(see)
		// The warning that a unit's row of values is the actor's of its
		// id is the unit's too: whoever sees the unit is told (and a
		// reader of the report knows the unit's card for a unit's).
		for _, w := range r.Values.Warnings {
			if w.Indicator != "" || w.Period != "" || r.Values.IsGroup(w.Participant) || slices.Contains(out.Values.Warnings, w) {
				continue
			}
			if pol.CanSee(v, goal.Subject{Participant: w.Participant, Kind: goal.Team}) {
				out.Values.Warnings = append(slices.Clip(out.Values.Warnings), w)
			}
		}
	}
	if r.Goals != nil {
		out.Goals = r.Goals.ForViewer(v, pol)
	}
	if r.Cascade != nil {
		out.Cascade = viewCascade(r.Cascade, v, pol)
	}
	out.Changes = nil
	// The parts of a change between periods are people (the actors of its
	// evaluation), also where a unit has the id of one with no row here;
	// those of a goal's gap are its rows.
	seePerson := func(participant string) bool {
		return pol.CanSee(v, goal.Subject{Participant: participant, Kind: goal.User})
	}
	for _, c := range r.Changes {
		if c != nil && see(c.Participant) { // nil: a host's hole, nothing to show
			parts := seePerson
			if c.gap() {
				parts = see
			}
			out.Changes = append(out.Changes, c.forViewer(parts))
		}
	}
	out.GoalStats = nil
	if r.stats != nil {
		out.GoalStats = r.stats.compute(&out) // from what the viewer sees
		// A unit's tally counts the visible rows of its members; it names
		// the unit and says who belongs to it: only for who sees the unit.
		out.GoalStats.ByTeam = slices.DeleteFunc(out.GoalStats.ByTeam, func(t goalstats.Tally) bool {
			return !pol.CanSee(v, goal.Subject{Participant: t.Team, Kind: goal.Team})
		})
	}
	if r.Scores != nil {
		s := *r.Scores
		s.Scorecards = keep(s.Scorecards, func(c score.Card) bool { return seeCard(c.Scorecard, c.Participant) })
		s.Bonuses = keep(s.Bonuses, func(p score.Payout) bool { return seePayout(p.Bonus, p.Participant) })
		s.Badges = keep(s.Badges, seeAward)
		out.Scores = &s
	}
	return &out
}

// keep returns the elements of xs that ok keeps: an empty list, not nil,
// when it keeps none (a list section of the report is an array).
func keep[T any](xs []T, ok func(T) bool) []T {
	out := []T{}
	for _, x := range xs {
		if ok(x) {
			out = append(out, x)
		}
	}
	return out
}

// viewCascade is the cascade section as the viewer may see it.
func viewCascade(r *cascade.Result, v goal.Viewer, pol goal.VisibilityPolicy) *cascade.Result {
	kinds := map[cascade.Kind]goal.ParticipantKind{cascade.Company: goal.Company, cascade.UnitKind: goal.Team, cascade.UserKind: goal.User}
	return r.Prune(func(n *cascade.Node) bool {
		return pol.CanSee(v, goal.Subject{Participant: n.Participant, Kind: kinds[n.Kind]})
	})
}

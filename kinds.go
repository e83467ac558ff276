package goalkit

import (
	"slices"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/score"
)

// What the participant of each part of a report is: a person (goal.User),
// a unit or another group (goal.Team), or everyone (goal.Company, the
// participant org.Everyone, "*", wherever it stands). A host that names
// participants asks with the kind, so that a unit and a person of one id
// (Bitrix24's department 1 and user 1) each have their own name. The rules
// are the plan's (its scorecards, bonuses and leaderboards) read with the
// report's values (its groups, and the warning of a unit whose row is an
// actor's); the dashboard and the exports ask them here.

// ValueKind is what the participant of a row of rep's values (a row, a
// breakdown row, an explanation of a cell) is: a group's row, else an
// actor's. A unit whose id is also an actor's has no row of its own: the
// row of that id is the actor's. The kind is "" (not known) when rep is nil
// or has no values, which would say.
func (p *Plan) ValueKind(rep *Report, participant string) goal.ParticipantKind {
	switch {
	case participant == org.Everyone:
		return goal.Company
	case rep == nil || rep.Values == nil:
		return ""
	case rep.Values.IsGroup(participant):
		return goal.Team
	}
	return goal.User
}

// WarningKind is what the participant of a warning of rep's values is: the
// unit, for the warning of no indicator and no period that says a unit's
// row is the actor's of the same id; else as ValueKind says.
func (p *Plan) WarningKind(rep *Report, w kpi.Warning) goal.ParticipantKind {
	if w.Participant != org.Everyone && w.Indicator == "" && w.Period == "" {
		return goal.Team
	}
	return p.ValueKind(rep, w.Participant)
}

// CardKind is what the participant of a card of the plan's scorecard is: a
// group the scorecard names among its participants is scored on the
// group's own row (a unit whose id is also an actor's too: department 1,
// though user 1 has the row of the id), everyone else it scores is a
// person. A scorecard the plan does not have scores people.
func (p *Plan) CardKind(rep *Report, scorecard, participant string) goal.ParticipantKind {
	return p.def.cardKind(rep, scorecard, participant)
}

// PayoutKind is what the participant of a payout of the plan's bonus is:
// the participant of the card of the scorecard the bonus pays on
// (CardKind).
func (p *Plan) PayoutKind(rep *Report, bonus, participant string) goal.ParticipantKind {
	return p.def.payoutKind(rep, bonus, participant)
}

// StandingKind is what the standings of the plan's leaderboard are: units
// at the level of departments, else people.
func (p *Plan) StandingKind(leaderboard string) goal.ParticipantKind {
	return p.def.standingKind(leaderboard)
}

// The rules of the kinds of the scores read the definition a plan compiled
// (never changed after), which a report keeps for ForViewer.

func (d *Definition) cardKind(rep *Report, scorecard, participant string) goal.ParticipantKind {
	if participant == org.Everyone {
		return goal.Company
	}
	for i := range d.Scorecards {
		s := &d.Scorecards[i]
		if s.ID == scorecard {
			if slices.Contains(s.Participants, participant) && group(rep, participant) {
				return goal.Team
			}
			break
		}
	}
	return goal.User
}

func (d *Definition) payoutKind(rep *Report, bonus, participant string) goal.ParticipantKind {
	scorecard := ""
	for i := range d.Bonuses {
		if d.Bonuses[i].ID == bonus {
			scorecard = d.Bonuses[i].Scorecard
			break
		}
	}
	return d.cardKind(rep, scorecard, participant)
}

func (d *Definition) standingKind(leaderboard string) goal.ParticipantKind {
	for i := range d.Leaderboards {
		if b := &d.Leaderboards[i]; b.ID == leaderboard {
			if b.Level == score.LevelDepartments {
				return goal.Team
			}
			break
		}
	}
	return goal.User
}

// awardKind is what the participant of an award of a badge is: of a badge
// of places on a leaderboard, a standing's (standingKind); else of the card
// of the badge's scorecard (cardKind).
func (d *Definition) awardKind(rep *Report, a score.Award) goal.ParticipantKind {
	if a.Participant == org.Everyone {
		return goal.Company
	}
	for i := range d.Badges {
		if b := &d.Badges[i]; b.ID == a.Badge {
			if b.Leaderboard != "" {
				return d.standingKind(b.Leaderboard)
			}
			return d.cardKind(rep, b.Scorecard, a.Participant)
		}
	}
	return goal.User
}

// group reports whether participant is a group of rep's evaluation: the
// values have a group's row of it, or say that its row is the actor's of
// the same id (their warning of no indicator and no period). A report
// without values knows no group.
func group(rep *Report, participant string) bool {
	if rep == nil || rep.Values == nil {
		return false
	}
	if rep.Values.IsGroup(participant) {
		return true
	}
	for _, w := range rep.Values.Warnings {
		if w.Indicator == "" && w.Period == "" && w.Participant == participant {
			return true
		}
	}
	return false
}

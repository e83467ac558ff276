package dashboard

import (
	"slices"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/score"
)

// Namer is an optional capability of a Data: the name to show for a
// participant (a user's full name, a unit's name) instead of its id.
// kind says what the participant is: goal.User for a person (a user, the
// actor of an event), goal.Team for a unit or another group; a unit and a
// person may have one id (Bitrix24's department 1 and user 1), each with a
// name of its own. The company ("*") is never asked. The dashboard asks it
// wherever it shows a participant or the actor of an event; addresses keep
// the id. false (or a Data without it): the id is shown. A Data whose
// Name takes the id alone, as Namer did before it passed the kind, is
// still asked by id, for every kind.
type Namer interface {
	Name(kind goal.ParticipantKind, id string) (string, bool)
}

// participantText is how a participant of a kind is shown: "Company" (in
// the viewer's language) for everyone, else its name from the Data's
// Namer, else its id; of no kind ("", not known), its id.
func (q *request) participantText(kind goal.ParticipantKind, p string) string {
	if p == org.Everyone {
		return q.l.T("company")
	}
	switch n := q.h.data.(type) {
	case Namer:
		if kind == "" {
			break
		}
		if s, ok := n.Name(kind, p); ok && s != "" {
			return s
		}
	case idNamer:
		if s, ok := n.Name(p); ok && s != "" {
			return s
		}
	}
	return p
}

// idNamer is the Namer of before the kind was passed, still asked by id
// alone for a Data that has it: it cannot tell a unit from a person of the
// same id.
type idNamer interface {
	Name(participant string) (string, bool)
}

// valuesKind is what a participant of a row of the report's values is: a
// group's row, else an actor's (a unit whose id is also an actor's has
// no row of its own: the row of that id is the actor's); "" when the
// request has read no report with values, which would say.
func (q *request) valuesKind(p string) goal.ParticipantKind {
	switch {
	case p == org.Everyone:
		return goal.Company
	case q.rep == nil || q.rep.Values == nil:
		return ""
	case q.rep.Values.IsGroup(p):
		return goal.Team
	}
	return goal.User
}

// cardKind is what the participant of a scorecard's card is: a group the
// scorecard names among its participants is scored on the group's own row
// (a unit whose id is also an actor's too), everyone else it scores is a
// person.
func (q *request) cardKind(def score.ScorecardDef, p string) goal.ParticipantKind {
	if slices.Contains(def.Participants, p) && (q.valuesKind(p) == goal.Team || q.shadowed(p)) {
		return goal.Team
	}
	return goal.User
}

// boardKind is what a leaderboard ranks.
func boardKind(def score.LeaderboardDef) goal.ParticipantKind {
	if def.Level == score.LevelDepartments {
		return goal.Team
	}
	return goal.User
}

package dashboard

import (
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/org"
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

// valueKind is what a participant of a row of the report's values is, as
// the plan says (goalkit.Plan.ValueKind): "" when the request has read no
// report with values, which would say.
func (q *request) valueKind(p string) goal.ParticipantKind {
	return q.h.data.Plan().ValueKind(q.rep, p)
}

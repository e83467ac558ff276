// Package kindof says what a participant is in the goals' words
// (goal.ParticipantKind) where another package has its own: a cascade
// node's kind, for the dashboard and the exports that name participants
// by kind.
package kindof

import (
	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/goal"
)

// Node is what a cascade node's participant is: a unit is a team, the
// company the company, anyone else a person.
func Node(k cascade.Kind) goal.ParticipantKind {
	switch k {
	case cascade.UnitKind:
		return goal.Team
	case cascade.Company:
		return goal.Company
	}
	return goal.User
}

// Package names says how the exports name participants: the option that
// gives their names (pdf.WithNamer, xlsx.WithNamer: one type, so that one
// option serves both), and what the participant of each part of a report
// is (a goal.ParticipantKind), which a name is asked with, so that a unit
// and a person of one id (Bitrix24's department 1 and user 1) each have
// their own.
package names

import (
	"slices"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/export/internal/format"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/score"
)

// Option changes how an export is written.
type Option func(*Config)

// Config is what the options set; the zero Config shows participants by
// their ids.
type Config struct {
	// Name names a participant of a kind; nil names none.
	Name func(kind goal.ParticipantKind, id string) (string, bool)
}

// ByID is a namer that gives a participant of any kind the name of its id.
func ByID(names map[string]string) func(goal.ParticipantKind, string) (string, bool) {
	return func(_ goal.ParticipantKind, id string) (string, bool) {
		n, ok := names[id]
		return n, ok
	}
}

// With is the option of a namer: the last given is the one used.
func With(name func(kind goal.ParticipantKind, id string) (string, bool)) Option {
	return func(c *Config) { c.Name = name }
}

// Of is the Config the options set, in order; a nil option is none.
func Of(opts []Option) Config {
	var c Config
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// Named is a participant's name, "" when it has none; everyone ("*") is
// never asked.
func (c Config) Named(kind goal.ParticipantKind, participant string) string {
	if c.Name == nil || participant == org.Everyone {
		return ""
	}
	if n, ok := c.Name(kind, participant); ok {
		return n
	}
	return ""
}

// Who is how an export shows a participant of a kind: its name, else as
// format.Who shows it.
func (c Config) Who(kind goal.ParticipantKind, participant string) string {
	if n := c.Named(kind, participant); n != "" {
		return n
	}
	return format.Who(participant)
}

// Kinds says what the participants of a report's parts are, from the plan
// it was evaluated from.
type Kinds struct {
	Plan *goalkit.Plan
	Rep  *goalkit.Report
}

// Values is what the participant of a row of the report's values is: a
// group's row, else an actor's (a unit whose id is also an actor's has no
// row of its own: the row of that id is the actor's).
func (k Kinds) Values(participant string) goal.ParticipantKind {
	if k.Rep.Values != nil && k.Rep.Values.IsGroup(participant) {
		return goal.Team
	}
	return goal.User
}

// Card is what the participant of a scorecard's card (or of a payout of a
// bonus on the scorecard) is: a group the scorecard names and scores on
// its own row (department 1 though user 1 has the row of the id), else a
// person.
func (k Kinds) Card(scorecard, participant string) goal.ParticipantKind {
	if k.GroupCard(scorecard, participant) {
		return goal.Team
	}
	return goal.User
}

// Warning is what the participant of a warning of the values is: the unit,
// for the warning of no indicator and no period that says a unit's row is
// the actor's of the same id; else as Values says.
func (k Kinds) Warning(w kpi.Warning) goal.ParticipantKind {
	if w.Indicator == "" && w.Period == "" {
		return goal.Team
	}
	return k.Values(w.Participant)
}

// Board is what a leaderboard's standings are: units at the level of
// departments, else people.
func (k Kinds) Board(id string) goal.ParticipantKind {
	if k.UnitsBoard(id) {
		return goal.Team
	}
	return goal.User
}

// GroupCard reports whether a scorecard's card of participant is a
// group's: the scorecard names it among its participants and it is a
// group of the evaluation, which a scorecard scores on the group's own
// row; everyone else it scores is a person.
func (k Kinds) GroupCard(scorecard, participant string) bool {
	for _, s := range k.Plan.Definition().Scorecards {
		if s.ID == scorecard {
			return slices.Contains(s.Participants, participant) && k.group(participant)
		}
	}
	return false
}

// group reports whether participant is a group of the report's
// evaluation: the values have a group's row of it, or say that its row is
// the actor's of the same id (their warning of no indicator and no
// period). A report without values knows no group.
func (k Kinds) group(participant string) bool {
	v := k.Rep.Values
	if v == nil {
		return false
	}
	if v.IsGroup(participant) {
		return true
	}
	for _, w := range v.Warnings {
		if w.Indicator == "" && w.Period == "" && w.Participant == participant {
			return true
		}
	}
	return false
}

// BonusScorecard is the scorecard a bonus pays on.
func (k Kinds) BonusScorecard(bonus string) string {
	for _, b := range k.Plan.Definition().Bonuses {
		if b.ID == bonus {
			return b.Scorecard
		}
	}
	return ""
}

// UnitsBoard reports whether a leaderboard ranks departments.
func (k Kinds) UnitsBoard(id string) bool {
	for _, b := range k.Plan.Definition().Leaderboards {
		if b.ID == id {
			return b.Level == score.LevelDepartments
		}
	}
	return false
}

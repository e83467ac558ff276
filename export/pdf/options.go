package pdf

import (
	"github.com/goalkit/goalkit/export/internal/names"
	"github.com/goalkit/goalkit/goal"
)

// Option changes how a document is written; a nil Option changes
// nothing. It is the type of the workbook's options too (xlsx.Option): one
// WithNames or WithNamer serves both.
type Option = names.Option

// config is what the options set; the zero config shows participants by
// their ids.
type config = names.Config

// WithNames shows participants by name: names maps a participant's id to
// the name to show (a directory's units' names, as goalkit's dashboard
// shows them), in tables, headings, titles and charts, whatever the
// participant is: a unit and a person of one id get the same name (use
// WithNamer to tell them apart). A participant without a name is shown by
// its id; nil shows every participant by id.
func WithNames(names map[string]string) Option {
	return WithNamer(namesByID(names))
}

// WithNamer shows participants by the name that name gives for a kind and
// an id: goal.Team for a unit or another group, goal.User for a person,
// so that a unit and a person of one id (Bitrix24's department 1 and user
// 1) each have a name of their own, as dashboard.Namer gives them. It is
// asked in tables, headings, titles and charts; false or "" shows the
// participant by its id, and everyone ("*") is never asked: it is
// "Company", as the dashboard shows it. The last of
// WithNames and WithNamer given is the one used; nil shows every
// participant by id.
func WithNamer(name func(kind goal.ParticipantKind, id string) (string, bool)) Option {
	return names.With(name)
}

// namesByID names a participant of any kind by its id's name.
var namesByID = names.ByID

// configOf is the config the options set.
func configOf(opts []Option) config { return names.Of(opts) }

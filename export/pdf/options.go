package pdf

import (
	"github.com/goalkit/goalkit/export/internal/format"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/org"
)

// Option changes how a document is written.
type Option func(*config)

// config is what the options set; the zero config shows participants by
// their ids.
type config struct {
	name func(kind goal.ParticipantKind, id string) (string, bool)
}

// WithNames shows participants by name: names maps a participant's id to
// the name to show (a directory's units' names, as goalkit's dashboard
// shows them), in tables, headings, titles and charts, whatever the
// participant is: a unit and a person of one id get the same name (use
// WithNamer to tell them apart). A participant without a name is shown by
// its id; nil shows every participant by id.
func WithNames(names map[string]string) Option {
	return WithNamer(func(_ goal.ParticipantKind, id string) (string, bool) {
		n, ok := names[id]
		return n, ok
	})
}

// WithNamer shows participants by the name that name gives for a kind and
// an id: goal.Team for a unit or another group, goal.User for a person,
// so that a unit and a person of one id (Bitrix24's department 1 and user
// 1) each have a name of their own, as dashboard.Namer gives them. It is
// asked in tables, headings, titles and charts; false or "" shows the
// participant by its id, and everyone ("*") is never asked. The last of
// WithNames and WithNamer given is the one used; nil shows every
// participant by id.
func WithNamer(name func(kind goal.ParticipantKind, id string) (string, bool)) Option {
	return func(c *config) { c.name = name }
}

func configOf(opts []Option) config {
	var c config
	for _, o := range opts {
		o(&c)
	}
	return c
}

// who is how a document names a participant of a kind: its name, else its
// id.
func (c config) who(kind goal.ParticipantKind, participant string) string {
	if c.name != nil && participant != org.Everyone {
		if n, ok := c.name(kind, participant); ok && n != "" {
			return n
		}
	}
	return format.Who(participant)
}

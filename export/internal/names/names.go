// Package names says how the exports name participants: the option that
// gives their names (pdf.WithNamer, xlsx.WithNamer: one type, so that one
// option serves both), asked with what the participant is (a
// goal.ParticipantKind, as the plan says it of each part of a report:
// goalkit.Plan.ValueKind and the others), so that a unit and a person of
// one id (Bitrix24's department 1 and user 1) each have their own.
package names

import (
	"github.com/goalkit/goalkit/export/internal/format"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/org"
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

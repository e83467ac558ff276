package pdf

import "github.com/goalkit/goalkit/export/internal/format"

// Option changes how a document is written.
type Option func(*config)

// config is what the options set; the zero config shows participants by
// their ids.
type config struct {
	names map[string]string
}

// WithNames shows participants by name: names maps a participant's id to
// the name to show (a directory's units' names, as goalkit's dashboard
// shows them), in tables, headings, titles and charts. A participant
// without a name is shown by its id; nil shows every participant by id.
func WithNames(names map[string]string) Option {
	return func(c *config) { c.names = names }
}

func configOf(opts []Option) config {
	var c config
	for _, o := range opts {
		o(&c)
	}
	return c
}

// who is how a document names a participant: its name, else its id.
func (c config) who(participant string) string { return format.Named(c.names, participant) }

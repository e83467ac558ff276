package deliver_test

import (
	"testing"

	"github.com/goalkit/goalkit/deliver"
)

// An empty text in a recipient's kinds or channels was dropped without a
// word: kinds: [""] was read as no list at all, every kind, and channels:
// [""] as the channels of the recipient's addresses. It is refused at its
// place.
func TestParseConfigRefusesAnEmptyName(t *testing.T) {
	const head = "channels:\n  - {name: mail, type: email, smtp: \"smtp.example.com:587\", from: a@example.com}\nrecipients:\n  - user: anna\n    email: a@example.com\n"
	for _, c := range []struct{ list, want string }{
		{`    kinds: [""]`, `c.yaml:6: recipients[0].kinds[0]: is an empty text, which names nothing: leave it out`},
		{`    channels: [""]`, `c.yaml:6: recipients[0].channels[0]: is an empty text, which names nothing: leave it out`},
		{`    kinds: [achieved, ""]`, `c.yaml:6: recipients[0].kinds[1]: is an empty text, which names nothing: leave it out`},
		{`    kinds: [achieved]`, ``},
	} {
		_, err := deliver.ParseConfig("c.yaml", []byte(head+c.list+"\n"))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.list, err)
		case c.want != "" && (err == nil || err.Error() != c.want):
			t.Errorf("%s: got %v, want %s", c.list, err, c.want)
		}
	}
}

package deliver_test

import (
	"net/mail"
	"testing"
)

// A name with a backslash and a character that is not printable ASCII is
// read back from the To header by net/mail as it is: it was Q-encoded with
// its backslash as it was (RFC 2047 keeps "\" out of a display name's
// encoded word, and Go's list of such characters lacks it), and the header
// read as no address at all. A name of printable ASCII stays a quoted
// string.
func TestEmailToNameWithBackslash(t *testing.T) {
	for _, tc := range []struct{ name, header string }{
		{`Анна \ Петрова`, "=?utf-8?b?0JDQvdC90LAgXCDQn9C10YLRgNC+0LLQsA==?= <anna@example.com>"},
		{`C:\é`, "=?utf-8?b?Qzpcw6k=?= <anna@example.com>"},
		{`Anna \ P`, `"Anna \\ P" <anna@example.com>`},
		{"Анна", "=?utf-8?q?=D0=90=D0=BD=D0=BD=D0=B0?= <anna@example.com>"},
	} {
		m := testMessage()
		m.To.Name = tc.name
		msg := composeRead(t, m)
		if got := msg.Header.Get("To"); got != tc.header {
			t.Errorf("%q: To %s, want %s", tc.name, got, tc.header)
		}
		a, err := mail.ParseAddress(msg.Header.Get("To"))
		if err != nil || a.Name != tc.name || a.Address != "anna@example.com" {
			t.Errorf("%q: To %q read as %+v (%v)", tc.name, msg.Header.Get("To"), a, err)
		}
	}
}

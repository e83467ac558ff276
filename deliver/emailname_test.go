package deliver_test

import (
	"bytes"
	"fmt"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/goalkit/goalkit/deliver"
	"pgregory.net/rapid"
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

// A recipient's name (or the sender's) with a control or bidirectional
// formatting character is shown in the To (From) header of an email read
// from the SMTP server as the templates show names, each such character a
// Go escape: a name with U+202E showed reversed in the mail reader, since
// its encoded word carried the character as it was. The header is decoded
// as a mail reader does (mime.WordDecoder), and its address read by
// net/mail.
func TestEmailHeaderNamesEscaped(t *testing.T) {
	s := newSink(t)
	for i, tc := range []struct {
		what, from, name, email string
		// fromHdr and toHdr are the headers decoded; fromName and toName
		// the names net/mail reads in them.
		fromHdr, toHdr, fromName, toName string
	}{
		{what: "bidi override", name: "Анна \u202eгнп.exe\u202c",
			toHdr: `Анна \u202eгнп.exe\u202c <anna@example.com>`, toName: `Анна \u202eгнп.exe\u202c`},
		{what: "mark", name: "Анна\u200f",
			toHdr: `Анна\u200f <anna@example.com>`, toName: `Анна\u200f`},
		{what: "escape sequence", name: "Plan\x1bc",
			toHdr: `"Plan\\x1bc" <anna@example.com>`, toName: `Plan\x1bc`},
		{what: "line break", name: "x\r\nBcc: evil@example.com",
			toHdr: `"x\\r\\nBcc: evil@example.com" <anna@example.com>`, toName: `x\r\nBcc: evil@example.com`},
		{what: "invalid UTF-8", name: "a\xffb",
			toHdr: `"a\\xffb" <anna@example.com>`, toName: `a\xffb`},
		{what: "the address's own name", email: "Анна\u202e <anna@example.com>",
			toHdr: `Анна\u202e <anna@example.com>`, toName: `Анна\u202e`},
		{what: "the sender's name", from: "Цели\u2067 <goals@example.com>", name: "Анна",
			fromHdr: `Цели\u2067 <goals@example.com>`, fromName: `Цели\u2067`, toHdr: `Анна <anna@example.com>`, toName: "Анна"},
		{what: "plain", name: "Анна Петрова",
			toHdr: `Анна Петрова <anna@example.com>`, toName: "Анна Петрова"},
	} {
		t.Run(tc.what, func(t *testing.T) {
			from := tc.from
			if from == "" {
				from, tc.fromHdr = "goals@example.com", "<goals@example.com>"
			}
			mailer, err := deliver.NewEmail(deliver.EmailOptions{Addr: s.addr, From: from, Security: "none"})
			if err != nil {
				t.Fatal(err)
			}
			m := testMessage()
			m.ID = deliver.MessageID(m.Key, "anna", string(rune('a'+i))) // the sink keeps one message an ID
			m.To.Name = tc.name
			if tc.email != "" {
				m.To.Email = tc.email
			}
			_, msg := mailed(t, mailer, s, m)
			var dec mime.WordDecoder
			for _, h := range []struct{ key, want, name, address string }{
				{"From", tc.fromHdr, tc.fromName, "goals@example.com"},
				{"To", tc.toHdr, tc.toName, "anna@example.com"},
			} {
				raw := msg.Header.Get(h.key)
				if got, err := dec.DecodeHeader(raw); err != nil || got != h.want {
					t.Errorf("%s %q decoded\n%s (%v)\nwant\n%s", h.key, raw, got, err, h.want)
				}
				a, err := mail.ParseAddress(raw)
				if err != nil || a.Name != h.name || a.Address != h.address {
					t.Errorf("%s %q read as %+v (%v), want %q <%s>", h.key, raw, a, err, h.name, h.address)
				}
			}
		})
	}
}

// goEscaped writes s as a reader is shown a name, independently of the
// package: each byte of invalid UTF-8 as \xNN, a line break, carriage
// return or tab as \n, \r, \t, another control character below U+0080 as
// \xNN, and one above it, or a bidirectional formatting character or a
// line or paragraph separator, as \uNNNN (lower-case hex).
func goEscaped(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case forbidden(r, false) && r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case forbidden(r, false):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// Whatever the recipient's and the sender's names (any runes, control
// and bidirectional formatting characters, backslashes, quotes, bytes of
// invalid UTF-8), net/mail reads each back from the email's header as the
// name with those characters as Go escapes, at its address.
func TestEmailHeaderNamesProperty(t *testing.T) {
	piece := rapid.OneOf(
		rapid.Map(rapid.Rune(), func(r rune) string { return string(r) }),
		rapid.Map(rapid.IntRange(0, 0x9f), func(i int) string { return string(rune(i)) }),
		rapid.SampledFrom([]string{"\u061c", "\u200e", "\u202e", "\u2066", "\u2028", "\r\n", "\xff", "\xe2\x80", `\`, `"`, "=?", "?=", "_", " ", "а", "a"}),
	)
	rapid.Check(t, func(t *rapid.T) {
		name := strings.Join(rapid.SliceOfN(piece, 0, 12).Draw(t, "name"), "")
		sender := strings.Join(rapid.SliceOfN(piece, 0, 12).Draw(t, "sender"), "")
		m := testMessage()
		m.To.Name = name
		data, err := deliver.ComposeEmail(mail.Address{Name: sender, Address: "goals@example.com"}, m)
		if err != nil {
			t.Fatal(err)
		}
		msg, err := mail.ReadMessage(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range []struct{ key, name, address string }{{"From", sender, "goals@example.com"}, {"To", name, "anna@example.com"}} {
			a, err := mail.ParseAddress(msg.Header.Get(h.key))
			if err != nil || a.Name != goEscaped(h.name) || a.Address != h.address {
				t.Fatalf("%s %q read as %+v (%v), want %q <%s>", h.key, msg.Header.Get(h.key), a, err, goEscaped(h.name), h.address)
			}
		}
	})
}

package deliver_test

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/mail"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/deliver"
	"pgregory.net/rapid"
)

// A long Cyrillic subject or name is many encoded words: the header is
// folded between them, so that no line passes the 998 characters RFC 5322
// allows (the sink, as many servers, refuses a line of 2000), and a reader
// unfolds it to the text written. Short headers stay on one line.
func TestEmailLongHeadersFolded(t *testing.T) {
	s := newSink(t)
	ch := plainEmail(t, s, "goals@example.com")
	m := emailMessage(t, "ru")
	m.Subject = strings.Repeat("Выручка отдела продаж по ключевым клиентам, ", 10) + "цель достигнута"
	m.To.Name = strings.Repeat("Анна-Мария ", 40) + "Петрова"
	data, err := deliver.ComposeEmail(mail.Address{Name: "goalkit", Address: "goals@example.com"}, m)
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := bytes.Cut(data, []byte("\r\n\r\n"))
	folded := 0
	for _, line := range strings.Split(string(head), "\r\n") {
		if len(line) > 998 {
			t.Errorf("a header line of %d characters: %.60s…", len(line), line)
		}
		if strings.HasPrefix(line, " ") {
			folded++
		}
	}
	if folded == 0 {
		t.Error("no header is folded")
	}
	readEmail(t, data, m)
	if err := ch.Send(context.Background(), m); err != nil {
		t.Fatalf("send: %v", err)
	}
	if got := s.messages()["<"+m.ID+"@example.com>"]; got == nil {
		t.Error("the sink has no message")
	} else {
		readEmail(t, got, m)
	}
	// The golden emails' headers are short: unchanged.
	short := emailMessage(t, "ru")
	data, err = deliver.ComposeEmail(mail.Address{Name: "goalkit", Address: "goals@example.com"}, short)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data[:bytes.Index(data, []byte("\r\n\r\n"))], []byte("\r\n ")) {
		t.Error("a short header is folded")
	}
}

// Whatever the subject and the name, every header line is within 998
// characters, a folded line goes on with a space and is not blank, and a
// reader gets the subject and the name back.
func TestEmailHeadersProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		text := func(label string) string {
			n := rapid.IntRange(1, 200).Draw(t, label+" words")
			word := rapid.StringMatching(`[a-zA-Zа-яА-Я=?_.,:!]{1,30}`)
			return strings.Join(rapid.SliceOfN(word, n, n).Draw(t, label), " ")
		}
		subject, name := text("subject"), text("name")
		m := deliver.Message{ID: "msg_x", Subject: subject, Text: "t", To: deliver.Recipient{Name: name, Email: "anna@example.com"}}
		data, err := deliver.ComposeEmail(mail.Address{Address: "goals@example.com"}, m)
		if err != nil {
			t.Fatal(err)
		}
		head, _, _ := bytes.Cut(data, []byte("\r\n\r\n"))
		for _, line := range strings.Split(string(head), "\r\n") {
			if len(line) > 998 || strings.TrimSpace(line) == "" || line[0] == ' ' && len(strings.TrimSpace(line)) == 0 {
				t.Fatalf("header line %q", line)
			}
		}
		msg, err := mail.ReadMessage(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		var dec mime.WordDecoder
		if got, err := dec.DecodeHeader(msg.Header.Get("Subject")); err != nil || got != subject {
			t.Fatalf("subject %q (%v), want %q", got, err, subject)
		}
		if to, err := mail.ParseAddress(msg.Header.Get("To")); err != nil || to.Name != name {
			t.Fatalf("To %v (%v), want the name %q", to, err, name)
		}
	})
}

// A recipient's address written with a name ("Анна <anna@example.com>", as
// mail programs show it) is sent to the address, and the To header holds it
// once, readable, with the configured name where there is one.
func TestEmailToAddressWithName(t *testing.T) {
	for _, tc := range []struct{ name, email, wantName string }{
		{"Анна Петрова", "Анна <anna@example.com>", "Анна Петрова"},
		{"", "Анна <anna@example.com>", "Анна"},
		{"", "anna@example.com", ""},
	} {
		m := deliver.Message{ID: "msg_x", Subject: "s", Text: "t", To: deliver.Recipient{Name: tc.name, Email: tc.email}}
		msg := composeRead(t, m)
		to, err := mail.ParseAddress(msg.Header.Get("To"))
		if err != nil || to.Address != "anna@example.com" || to.Name != tc.wantName {
			t.Errorf("%q: To %q: %v (%v)", tc.email, msg.Header.Get("To"), to, err)
		}
	}
}

// A From address with a non-ASCII domain gives a Message-ID with the
// domain's ASCII (punycode, "xn--") form: a header holds no 8-bit text. The
// expected labels are Python's punycode codec's and RFC 3492's samples. A
// domain that cannot be written in a Message-ID gives goalkit.invalid.
func TestMessageIDHeaderDomain(t *testing.T) {
	for _, tc := range []struct{ from, want string }{
		{"goals@example.com", "<k1@example.com>"},
		{"goals@Example.COM", "<k1@Example.COM>"},
		{"goals@[192.0.2.1]", "<k1@[192.0.2.1]>"},
		{"goals@пример.рф", "<k1@xn--e1afmkfd.xn--p1ai>"},
		{"goals@Bücher.example", "<k1@xn--bcher-kva.example>"},
		{"goals@почемужеонинеговорятпорусски.рф", "<k1@xn--b1abfaaepdrnnbgefbadotcwatmq2g4l.xn--p1ai>"},
		{"goals@他们为什么不说中文.com", "<k1@xn--ihqwcrb4cv8a8dqg056pqjye.com>"},
		{"goals@a😀b.example", "<k1@xn--ab-no82a.example>"},
		{"goals", "<k1@goalkit.invalid>"},
		{"goals@", "<k1@goalkit.invalid>"},
		{"goals@exa mple.com", "<k1@goalkit.invalid>"},
		{"goals@пример..рф", "<k1@goalkit.invalid>"},
		{"goals@при\x00мер.рф", "<k1@goalkit.invalid>"},
		{"goals@" + strings.Repeat("я", 60) + ".рф", "<k1@goalkit.invalid>"}, // a label past 63 characters
	} {
		if got := deliver.MessageIDHeader("k1", tc.from); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.from, got, tc.want)
		}
	}
}

// Whatever the From address, the Message-ID is ASCII without spaces or
// control characters.
func TestMessageIDHeaderASCIIProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		from := rapid.String().Draw(t, "local") + "@" + rapid.String().Draw(t, "domain")
		got := deliver.MessageIDHeader("k1", from)
		for i := 0; i < len(got); i++ {
			if got[i] <= ' ' || got[i] >= 0x7f {
				t.Fatalf("%q: %q holds byte %#x", from, got, got[i])
			}
		}
	})
}

// Addresses with an internationalised domain are sent with its ASCII form,
// in the headers and on the envelope, so that a server without SMTPUTF8
// takes them and no header holds 8-bit text.
func TestEmailInternationalDomains(t *testing.T) {
	s := newSink(t)
	ch := plainEmail(t, s, "goalkit <goals@Пример.рф>")
	m := emailMessage(t, "ru")
	m.To.Email = "anna@почта.рф"
	if err := ch.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := s.messages()
	if len(got) != 1 {
		t.Fatalf("%d messages", len(got))
	}
	for id, data := range got {
		head, _, _ := bytes.Cut(data, []byte("\r\n\r\n"))
		for _, c := range head {
			if c >= 0x80 {
				t.Fatalf("8-bit header text:\n%s", head)
			}
		}
		msg, err := mail.ReadMessage(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		for k, want := range map[string]string{"From": `"goalkit" <goals@xn--e1afmkfd.xn--p1ai>`, "Message-Id": "<" + m.ID + "@xn--e1afmkfd.xn--p1ai>"} {
			if v := msg.Header.Get(k); v != want {
				t.Errorf("%s: %q, want %q", k, v, want)
			}
		}
		if to, err := msg.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != "anna@xn--80a1acny.xn--p1ai" {
			t.Errorf("To: %v %v", to, err)
		}
		s.mu.Lock()
		rcpts := s.rcpts[id]
		s.mu.Unlock()
		if len(rcpts) != 1 || rcpts[0] != "anna@xn--80a1acny.xn--p1ai" {
			t.Errorf("envelope recipients %q", rcpts)
		}
	}
}

// plainEmail is an email channel from the address to the sink, without
// TLS or login.
func plainEmail(t *testing.T, s *sink, from string) *deliver.Email {
	t.Helper()
	ch, err := deliver.NewEmail(deliver.EmailOptions{Addr: s.addr, From: from, Security: "none"})
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

// A subject or a name with a word too long to fold within 998 characters
// (a thousand characters without a space) is written in encoded words:
// the header was one line of 1209 characters for a subject of 1200 "a",
// past what RFC 5322 allows and many servers take. A reader gets the
// subject and the name back; shorter words are written as before.
func TestEmailUnbrokenHeadersFolded(t *testing.T) {
	m := testMessage()
	m.Subject = strings.Repeat("a", 1200)
	m.To.Name = "Анна " + strings.Repeat("b", 1000)
	from := strings.Repeat("g", 990)
	head, msg := composeWithin(t, mail.Address{Name: from, Address: "goals@example.com"}, m)
	// 45 "a" are 60 characters of base64, "YWFh" fifteen times.
	if want := "Subject:\r\n =?utf-8?b?" + strings.Repeat("YWFh", 15) + "?=\r\n =?utf-8?b?"; !strings.Contains(head, want) {
		t.Errorf("no %q in\n%s", want, head)
	}
	readsBack(t, msg, m.Subject, from, m.To.Name)
	// A short subject is as it was.
	short := testMessage()
	short.Subject = "Plan " + strings.Repeat("a", 900)
	if msg := composeRead(t, short); msg.Header.Get("Subject") != short.Subject {
		t.Errorf("a short subject written %.40q…", msg.Header.Get("Subject"))
	}
}

// composeWithin composes m from the sender, fails when a line of its
// header passes 998 characters, and returns the header and the message as
// a reader reads it.
func composeWithin(t fataler, from mail.Address, m deliver.Message) (string, *mail.Message) {
	t.Helper()
	data, err := deliver.ComposeEmail(from, m)
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := bytes.Cut(data, []byte("\r\n\r\n"))
	for _, line := range strings.Split(string(head), "\r\n") {
		if len(line) > 998 {
			t.Fatalf("a header line of %d characters: %.60s…", len(line), line)
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return string(head), msg
}

// readsBack fails unless a reader gets the subject and the names of From
// and To of msg as written.
func readsBack(t fataler, msg *mail.Message, subject, from, to string) {
	t.Helper()
	var dec mime.WordDecoder
	if got, err := dec.DecodeHeader(msg.Header.Get("Subject")); err != nil || got != subject {
		t.Fatalf("subject %.60q (%v), want %.60q", got, err, subject)
	}
	for _, h := range []struct{ key, name string }{{"From", from}, {"To", to}} {
		if a, err := mail.ParseAddress(msg.Header.Get(h.key)); err != nil || a.Name != h.name {
			t.Fatalf("%s %.60q read as %v (%v), want %.60q", h.key, msg.Header.Get(h.key), a, err, h.name)
		}
	}
}

// Whatever the words of a subject and a name, of any length up to 1200
// characters, in ASCII or not, every header line is within 998 characters
// and a reader gets the subject and the names back.
func TestEmailUnbrokenHeadersProperty(t *testing.T) {
	ascii := rapid.RuneFrom([]rune(`aZ=?_.,:!"\`))
	mixed := rapid.OneOf(ascii, rapid.RuneFrom([]rune("яЖ🚀€")))
	rapid.Check(t, func(t *rapid.T) {
		text := func(label string) string {
			var words []string
			for i := range rapid.IntRange(1, 3).Draw(t, label+" words") {
				n := rapid.OneOf(rapid.IntRange(1, 40), rapid.IntRange(900, 1200)).Draw(t, fmt.Sprintf("%s word %d length", label, i))
				char := rapid.SampledFrom([]*rapid.Generator[rune]{ascii, mixed}).Draw(t, fmt.Sprintf("%s word %d letters", label, i))
				words = append(words, rapid.StringOfN(char, n, n, -1).Draw(t, fmt.Sprintf("%s word %d", label, i)))
			}
			return strings.Join(words, " ")
		}
		subject, name, from := text("subject"), text("name"), text("from")
		m := testMessage()
		m.Subject, m.To.Name = subject, name
		_, msg := composeWithin(t, mail.Address{Name: from, Address: "goals@example.com"}, m)
		readsBack(t, msg, subject, from, name)
	})
}

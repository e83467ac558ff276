package deliver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/goalkit/goalkit/deliver"
	"github.com/goalkit/goalkit/goal"
	"pgregory.net/rapid"
)

// controlNames are names holding control and bidirectional formatting
// characters, each with what a reader is shown of it.
var controlNames = []struct{ name, raw, text string }{
	{"escape sequence", "Plan\x1bc", `Plan\x1bc`},
	{"NUL, BEL and DEL", "a\x00b\x07c\x7fd", `a\x00b\x07c\x7fd`},
	{"C1", "a\u0085b\u009bc", `a\u0085b\u009bc`},
	{"bidi override", "Анна \u202eгнп.exe\u202c", `Анна \u202eгнп.exe\u202c`},
	{"isolates and marks", "\u2066x\u2069 \u200ey\u200f \u061cz \u202a\u202b\u202d", `\u2066x\u2069 \u200ey\u200f \u061cz \u202a\u202b\u202d`},
	{"line separators", "a\u2028b\u2029c", `a\u2028b\u2029c`},
	{"CR LF", "x\r\nBcc: evil@example.com", `x\r\nBcc: evil@example.com`},
	{"tab", "a\tb", `a\tb`},
	{"invalid UTF-8", "a\xffb", `a\xffb`},
	{"plain", "Выручка за март", "Выручка за март"},
}

// controlMessage renders anna's achieved goal with the goal and the
// participant both named raw, as the dispatcher renders it for a channel.
func controlMessage(t *testing.T, raw string) deliver.Message {
	t.Helper()
	tmpl, err := deliver.LoadTemplates(nil)
	if err != nil {
		t.Fatal(err)
	}
	v := sampleView("en", "achieved")
	v.Goal, v.Participant = raw, raw
	subject, text, html, err := tmpl.Render(v)
	if err != nil {
		t.Fatal(err)
	}
	m := testMessage()
	m.Subject, m.Text, m.HTML = subject, text, html
	m.Notification = &goal.Notification{Key: m.Key, Kind: "achieved", Goal: "sales", Participant: raw, Period: "2025-03",
		Message: raw + " achieved"}
	return m
}

// A goal's or a person's name with control characters (C0 with tab and
// line break, DEL, C1), bidirectional formatting characters or line
// separators reaches a reader with each of them as a Go escape, in an
// email's subject, plain text and HTML, and in the messages of Telegram,
// Slack and Bitrix24: they went as they were, so that a name could colour
// or move a terminal, start a line of its own or, with U+202E, show
// "gnp.exe" as "exe.png". A webhook's notification is data and keeps the
// name exact; its subject and text are the reader's.
func TestControlCharactersOfNames(t *testing.T) {
	ctx := context.Background()
	s := newSink(t)
	mailer, err := deliver.NewEmail(deliver.EmailOptions{Addr: s.addr, From: "goals@example.com", Security: "none"})
	if err != nil {
		t.Fatal(err)
	}
	var posted []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posted = mustRead(r.Body)
		if strings.HasSuffix(r.URL.Path, "/sendMessage") {
			w.Write([]byte(`{"ok":true}`))
		}
	}))
	defer srv.Close()
	hook, err := deliver.NewWebhook(srv.URL+"/hook", testSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range controlNames {
		t.Run(c.name, func(t *testing.T) {
			subject := c.text + ": target achieved"
			text := c.text + ` achieved "` + c.text + `" in 2025-03: 1 700 000 ₽ of 1 500 000 ₽. Congratulations!`
			m := controlMessage(t, c.raw)
			m.ID = deliver.MessageID(m.Key, "anna", c.name) // the sink keeps one message an ID

			data, msg := mailed(t, mailer, s, m)
			if got := msg.Header["Bcc"]; got != nil {
				t.Errorf("email: a Bcc header %q", got)
			}
			var dec mime.WordDecoder
			if got, err := dec.DecodeHeader(msg.Header.Get("Subject")); err != nil || got != subject {
				t.Errorf("email: subject\n%q (%v)\nwant\n%q", got, err, subject)
			}
			_, parts := readMIME(t, data)
			if got := strings.ReplaceAll(string(parts[0].body), "\r\n", "\n"); got != text {
				t.Errorf("email: text\n%q\nwant\n%q", got, text)
			}
			html := strings.ReplaceAll(string(parts[1].body), "\r\n", "\n")
			for _, want := range []string{"<title>" + subject + "</title>", "<p>" + strings.ReplaceAll(text, `"`, "&#34;") + "</p>", "<b>" + c.text + "</b>"} {
				if !strings.Contains(html, want) {
					t.Errorf("email: the HTML has no\n%q:\n%s", want, html)
				}
			}

			if err := deliver.NewTelegram(srv.URL, "TOKEN", nil).Send(ctx, m); err != nil {
				t.Fatal(err)
			}
			var tg struct{ Text string }
			if err := json.Unmarshal(posted, &tg); err != nil || tg.Text != text {
				t.Errorf("telegram: text\n%q (%v)\nwant\n%q", tg.Text, err, text)
			}

			if err := deliver.NewSlack(srv.URL+"/services/T0/B0/X", nil).Send(ctx, m); err != nil {
				t.Fatal(err)
			}
			var sl struct{ Text string }
			if err := json.Unmarshal(posted, &sl); err != nil || sl.Text != "*"+subject+"*\n"+text {
				t.Errorf("slack: text\n%q (%v)\nwant\n%q", sl.Text, err, "*"+subject+"*\n"+text)
			}

			f := &fakeNotifier{}
			if err := deliver.NewBitrix24(f).Send(ctx, m); err != nil {
				t.Fatal(err)
			}
			if want := "17: [b]" + subject + "[/b]\n" + text; len(f.got) != 1 || f.got[0] != want {
				t.Errorf("bitrix24: message\n%q\nwant\n%q", f.got, want)
			}

			if err := hook.Send(ctx, m); err != nil {
				t.Fatal(err)
			}
			var p struct {
				Subject, Text string
				Notification  struct{ Participant, Message string }
			}
			if err := json.Unmarshal(posted, &p); err != nil {
				t.Fatal(err)
			}
			if p.Subject != subject || p.Text != text {
				t.Errorf("webhook: subject and text\n%q\n%q\nwant\n%q\n%q", p.Subject, p.Text, subject, text)
			}
			// Exact, but for a byte of invalid UTF-8, which JSON writes as
			// U+FFFD.
			if exact := strings.ToValidUTF8(c.raw, "\ufffd"); p.Notification.Participant != exact || p.Notification.Message != exact+" achieved" {
				t.Errorf("webhook: the notification's participant %q and message %q, want them exact: %q", p.Notification.Participant, p.Notification.Message, exact)
			}
		})
	}
}

// The Slack text of a digest (its own rendering, with mrkdwn's marks of
// the values between zero-width spaces) escapes the rows' names too.
func TestControlCharactersOfNamesInSlackDigest(t *testing.T) {
	tmpl, err := deliver.LoadTemplates(nil)
	if err != nil {
		t.Fatal(err)
	}
	v := sampleDigest("en", deliver.KindDailyDigest)
	v.Recipient = "\u202eolga_"
	v.Digest.Rows = v.Digest.Rows[:1]
	v.Digest.Rows[0].Name, v.Digest.Rows[0].Participant = "plan\x1b[2J", "an\nna"
	got, err := tmpl.SlackText(v)
	if err != nil {
		t.Fatal(err)
	}
	const z = "\u200b"
	want := `\u202eolga` + z + "_" + z + ", your goals as of 2025-03-20:\n\n- plan\\x1b[2J, an\\nna, 2025-03: 1 700 000 ₽ of 1 500 000 ₽ (113.3 %), achieved"
	if got != want {
		t.Errorf("text\n%q\nwant\n%q", got, want)
	}
}

// A host's HTML template that writes a name through html or urlquery
// shows it escaped as the plain action does; the template's own text is as
// written.
func TestControlCharactersBeforeHTMLEscapers(t *testing.T) {
	own := fstest.MapFS{"en.html.tmpl": {Data: []byte(`{{define "html.achieved"}}<p>` + "\u202e" + `{{.Goal | html}}|{{html .Goal .Period}}|{{urlquery .Goal}}|<a title="{{.Goal | html}}">{{.Goal}}</a></p>{{end}}`)}}
	tmpl, err := deliver.LoadTemplates(own)
	if err != nil {
		t.Fatal(err)
	}
	v := sampleView("en", "achieved")
	v.Goal = "a\u202eb<"
	_, _, html, err := tmpl.Render(v)
	if err != nil {
		t.Fatal(err)
	}
	const want = "<p>\u202e" + `a\u202eb&lt;|a\u202eb&lt;2025-03|a%5Cu202eb%3C|<a title="a\u202eb&lt;">a\u202eb&lt;</a></p>`
	if html != want {
		t.Errorf("HTML\n%q\nwant\n%q", html, want)
	}
}

// Every text of a View that a template can write, the digest's rows' and
// the charts' included, is escaped: a field added later without its
// escape fails here. The caller's view, digest and charts are unchanged.
func TestPlainViewEscapesEveryText(t *testing.T) {
	const raw = "\u202e\x1b"
	urlType := reflect.TypeFor[template.URL]()
	var fill func(v reflect.Value)
	fill = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			if v.Type() != urlType {
				v.SetString(raw)
			}
		case reflect.Pointer:
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			fill(v.Elem())
		case reflect.Slice:
			if v.Len() == 0 {
				v.Set(reflect.MakeSlice(v.Type(), 2, 2))
			}
			for i := range v.Len() {
				fill(v.Index(i))
			}
		case reflect.Struct:
			if v.Type().PkgPath() != "github.com/goalkit/goalkit/deliver" {
				return // decimals
			}
			for i := range v.NumField() {
				fill(v.Field(i))
			}
		}
	}
	var check func(path string, v reflect.Value, want string)
	check = func(path string, v reflect.Value, want string) {
		switch v.Kind() {
		case reflect.String:
			if v.Type() != urlType && v.String() != want {
				t.Errorf("%s = %q, want %q", path, v.String(), want)
			}
		case reflect.Pointer:
			check(path, v.Elem(), want)
		case reflect.Slice:
			for i := range v.Len() {
				check(fmt.Sprintf("%s[%d]", path, i), v.Index(i), want)
			}
		case reflect.Struct:
			if v.Type().PkgPath() != "github.com/goalkit/goalkit/deliver" {
				return
			}
			for i := range v.NumField() {
				check(path+"."+v.Type().Field(i).Name, v.Field(i), want)
			}
		}
	}
	var v deliver.View
	fill(reflect.ValueOf(&v).Elem())
	got := deliver.PlainView(v)
	check("View", reflect.ValueOf(got), `\u202e\x1b`)
	check("View", reflect.ValueOf(v), raw)
}

// A host's text template that writes a name through a function (printf),
// or a value of another type, has it escaped as the plain action's: what
// is written is escaped, whatever wrote it; numbers are as they were.
func TestControlCharactersThroughFunctions(t *testing.T) {
	own := fstest.MapFS{"en.txt.tmpl": {Data: []byte(`{{define "text.achieved"}}{{printf "%s!" .Goal}} {{.DaysLeft}} {{.Actual.Decimal}} {{.Chart.Alt}}{{end}}`)}}
	tmpl, err := deliver.LoadTemplates(own)
	if err != nil {
		t.Fatal(err)
	}
	v := sampleView("en", "achieved")
	v.Goal = "\u2067x"
	v.Chart = &deliver.Chart{Src: "cid:c", Goal: "g\u200f", ParticipantKind: "company", Period: "p", Currency: "RUB", Actual: v.Actual, Target: v.Target}
	_, text, _, err := tmpl.Render(v)
	if err != nil {
		t.Fatal(err)
	}
	const want = `\u2067x! 2 1700000 Burn-up chart of "g\u200f", the company, p: the actual day by day against the plan, 1 700 000 ₽ of 1 500 000 ₽.`
	if text != want {
		t.Errorf("text\n%q\nwant\n%q", text, want)
	}
}

// In a subject, a CR LF that reaches the header (a host's Message, the
// template's own text) makes no header of what follows: the subject is one
// line, its encoded words hold no line break.
func TestSubjectLineBreakMakesNoHeader(t *testing.T) {
	m := testMessage()
	m.Subject = "Plan\r\nBcc: evil@example.com\r\n\r\nbody"
	msg := composeRead(t, m)
	if len(msg.Header) != 7 || msg.Header["Bcc"] != nil {
		t.Errorf("headers %q", msg.Header)
	}
	var dec mime.WordDecoder
	if got, err := dec.DecodeHeader(msg.Header.Get("Subject")); err != nil || got != "Plan Bcc: evil@example.com body" {
		t.Errorf("subject %q (%v)", got, err)
	}
}

// composeRead composes m from goals@example.com and reads it back as a
// mail reader does.
func composeRead(t *testing.T, m deliver.Message) *mail.Message {
	t.Helper()
	data, err := deliver.ComposeEmail(mail.Address{Address: "goals@example.com"}, m)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// mailed sends m through the channel to the sink and returns the email it
// keeps, and that email read as a mail reader does.
func mailed(t fataler, ch *deliver.Email, s *sink, m deliver.Message) ([]byte, *mail.Message) {
	t.Helper()
	if err := ch.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	data := s.messages()["<"+m.ID+"@example.com>"]
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return data, msg
}

// namedView draws a view of any kind in either language, its names (the
// goal's, the participant's, the period's, the milestone's, the
// recipient's, a digest's rows') drawn by name.
func namedView(t *rapid.T, name func(label string) string) deliver.View {
	kinds := []string{"milestone_reached", "achieved", "at_risk", "back_on_track", "deadline_approaching", "daily_digest",
		"failed", "period_closed", "restated", "achievement_revoked", "something_else", deliver.KindDailyDigest, deliver.KindWeeklyDigest}
	lang := rapid.SampledFrom([]string{"en", "ru"}).Draw(t, "lang")
	kind := rapid.SampledFrom(kinds).Draw(t, "kind")
	var v deliver.View
	if strings.HasPrefix(kind, "digest_") {
		v = sampleDigest(lang, kind)
		for i := range v.Digest.Rows {
			r := &v.Digest.Rows[i]
			r.Name, r.Participant, r.Period = name("row name"), name("row participant"), name("row period")
		}
	} else {
		v = sampleView(lang, kind)
		v.Goal, v.Participant, v.Period, v.Milestone = name("goal"), name("participant"), name("period"), name("milestone")
		v.ParticipantKind = rapid.SampledFrom([]string{"user", "team", "company"}).Draw(t, "participant kind")
	}
	v.Recipient = name("recipient")
	return v
}

// forbidden reports whether r may not reach a reader raw: a control
// character (U+0000–U+001F, U+007F–U+009F), a bidirectional formatting
// character (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), or a
// line or paragraph separator; a line break where lines may be (the text
// part and a message hold the template's own).
func forbidden(r rune, lines bool) bool {
	switch {
	case r == '\n':
		return !lines
	case r <= 0x1f, r >= 0x7f && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// rawIn says where s has a rune that forbidden refuses, or a byte of
// invalid UTF-8; "" when it has none.
func rawIn(s string, lines bool) string {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || forbidden(r, lines) {
			return fmt.Sprintf("%q at %d of %q", s[i:i+n], i, s)
		}
		i += n
	}
	return ""
}

// Whatever the names (any runes, bytes of invalid UTF-8), no control or
// bidirectional formatting character of theirs reaches the subject, the
// plain text or the HTML of an email read from the SMTP server, nor the
// message a Bitrix24 user gets: every kind, both languages, digests.
func TestNoRawControlsProperty(t *testing.T) {
	ctx := context.Background()
	tmpl, err := deliver.LoadTemplates(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := newSink(t)
	mailer, err := deliver.NewEmail(deliver.EmailOptions{Addr: s.addr, From: "goals@example.com", Security: "none"})
	if err != nil {
		t.Fatal(err)
	}
	piece := rapid.OneOf(
		rapid.Map(rapid.Rune(), func(r rune) string { return string(r) }),
		rapid.Map(rapid.IntRange(0, 0x9f), func(i int) string { return string(rune(i)) }),
		rapid.SampledFrom([]string{"\u061c", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "\u2028", "\r\n", "\xff", "\xe2\x80", "a"}),
	)
	n := 0
	rapid.Check(t, func(t *rapid.T) {
		name := func(label string) string {
			return strings.Join(rapid.SliceOfN(piece, 0, 8).Draw(t, label), "")
		}
		subject, text, html, err := tmpl.Render(namedView(t, name))
		if err != nil {
			t.Fatal(err)
		}
		n++
		m := testMessage()
		m.ID = deliver.MessageID(m.Key, "anna", strconv.Itoa(n))
		m.Subject, m.Text, m.HTML = subject, text, html
		data, msg := mailed(t, mailer, s, m)
		var dec mime.WordDecoder
		got, err := dec.DecodeHeader(msg.Header.Get("Subject"))
		if err != nil {
			t.Fatal(err)
		}
		if raw := rawIn(got, false); raw != "" {
			t.Fatalf("subject: %s", raw)
		}
		_, parts := readMIME(t, data)
		if raw := rawIn(strings.ReplaceAll(string(parts[0].body), "\r\n", "\n"), true); raw != "" {
			t.Fatalf("text: %s", raw)
		}
		if raw := rawIn(strings.ReplaceAll(string(parts[1].body), "\r\n", "\n"), true); raw != "" {
			t.Fatalf("HTML: %s", raw)
		}
		f := &fakeNotifier{}
		if err := deliver.NewBitrix24(f).Send(ctx, m); err != nil {
			t.Fatal(err)
		}
		if raw := rawIn(f.got[0], true); raw != "" {
			t.Fatalf("bitrix24: %s", raw)
		}
	})
}

package deliver_test

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/goalkit/goalkit/deliver"
	"pgregory.net/rapid"
)

// A subject's no-break and narrow no-break spaces, which Russian
// typography puts between a number and its unit ("1 500 ₽"), reach the
// reader as written: every space of the subject was made an ASCII one,
// and the number could break across lines. Its line breaks and tabs, and
// runs of ASCII spaces, are still one space, as a header needs. The
// subject is rendered from a host's template and read back from the SMTP
// sink by net/mail.
func TestSubjectKeepsNoBreakSpaces(t *testing.T) {
	tmpl, err := deliver.LoadTemplates(fstest.MapFS{"ru.txt.tmpl": {Data: []byte(
		"{{define \"subject.achieved\"}}Выручка:\u00a01\u00a0500\u00a0₽ —\tцель\r\n   достигнута\u2028(план\u202f2 000 ₽)\u0085{{.Goal}}{{end}}")}})
	if err != nil {
		t.Fatal(err)
	}
	v := sampleView("ru", "achieved")
	v.Goal = "Q1\u00a0продажи"
	subject, _, _, err := tmpl.Render(v)
	if err != nil {
		t.Fatal(err)
	}
	const want = "Выручка:\u00a01\u00a0500\u00a0₽ — цель достигнута (план\u202f2 000 ₽) Q1\u00a0продажи"
	if subject != want {
		t.Fatalf("rendered subject %q, want %q", subject, want)
	}
	s := newSink(t)
	m := testMessage()
	m.Subject = subject + "\n\tи\u00a0ещё"
	if err := plainEmail(t, s, "goals@example.com").Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(s.messages()["<"+m.ID+"@example.com>"]))
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	if got, err := dec.DecodeHeader(msg.Header.Get("Subject")); err != nil || got != want+" и\u00a0ещё" {
		t.Fatalf("the reader's subject %q (%v), want %q", got, err, want+" и\u00a0ещё")
	}
}

// Whatever spaces and line breaks a subject holds between its words, a
// reader gets it back on one line: each run of ASCII spaces, tabs and
// line breaks one space, none at either end, and every other space (a
// no-break, narrow, ideographic one) as written, for subjects short or
// long enough to be folded.
func TestSubjectSpacesProperty(t *testing.T) {
	breaks := []rune{' ', '\t', '\n', '\v', '\f', '\r', '\u0085', '\u2028', '\u2029'}
	kept := []rune{'\u00a0', '\u202f', '\u2009', '\u3000', '\u1680'}
	rapid.Check(t, func(t *rapid.T) {
		space := rapid.StringOfN(rapid.RuneFrom(append(breaks, kept...)), 0, 4, -1)
		word := rapid.StringOfN(rapid.RuneFrom([]rune("aZ=?_я₽1🚀")), 1, 30, -1)
		var subject strings.Builder
		for i := range rapid.IntRange(1, 120).Draw(t, "words") {
			subject.WriteString(space.Draw(t, fmt.Sprintf("space %d", i)))
			subject.WriteString(word.Draw(t, fmt.Sprintf("word %d", i)))
		}
		subject.WriteString(space.Draw(t, "last space"))
		// want: the subject on one line, by a plain loop.
		var want []rune
		owed := false
		for _, r := range subject.String() {
			if slices.Contains(breaks, r) {
				owed = len(want) > 0
				continue
			}
			if owed {
				want = append(want, ' ')
				owed = false
			}
			want = append(want, r)
		}
		m := testMessage()
		m.Subject = subject.String()
		_, msg := composeWithin(t, mail.Address{Address: "goals@example.com"}, m)
		readsBack(t, msg, string(want), "", m.To.Name)
	})
}

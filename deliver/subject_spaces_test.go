package deliver_test

import (
	"bytes"
	"context"
	"mime"
	"net/mail"
	"testing"
	"testing/fstest"

	"github.com/goalkit/goalkit/deliver"
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

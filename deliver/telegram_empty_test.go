package deliver_test

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/goalkit/goalkit/deliver"
)

// A host's template whose text renders empty (its conditions all false,
// or only spaces) made every Telegram message of its kind a dead letter:
// sendMessage refuses an empty text. The message's subject is sent
// instead; a message with neither text nor subject is a permanent error
// that says so, and nothing is sent.
func TestTelegramEmptyTextSendsTheSubject(t *testing.T) {
	ch, sent := telegramSink(t)
	tmpl, err := deliver.LoadTemplates(fstest.MapFS{"ru.txt.tmpl": {Data: []byte(
		`{{define "text.achieved"}} {{if eq .Kind "period_closed"}}период закрыт{{end}}` + "\n\t" + `{{end}}`)}})
	if err != nil {
		t.Fatal(err)
	}
	subject, text, _, err := tmpl.Render(sampleView("ru", "achieved"))
	if err != nil || text != "" {
		t.Fatalf("rendered text %q (%v), want none", text, err)
	}
	m := testMessage()
	m.Subject, m.Text = subject, text
	if err := ch.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if *sent != "Выручка за март: цель достигнута" {
		t.Fatalf("sent %q, want the subject %q", *sent, subject)
	}
	*sent = "(nothing)"
	m.Subject, m.Text = " ", "\n"
	err = ch.Send(context.Background(), m)
	const want = `telegram: recipient "anna": the message has no text and no subject (the Bot API refuses an empty message)`
	if err == nil || err.Error() != want || !deliver.IsPermanent(err) {
		t.Fatalf("error %v, want the permanent %q", err, want)
	}
	if *sent != "(nothing)" {
		t.Fatalf("sent %q: a message with neither text nor subject reached the Bot API", *sent)
	}
}

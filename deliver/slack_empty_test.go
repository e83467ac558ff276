package deliver_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/deliver"
)

// A Slack message with neither text nor subject (a template that rendered
// only spaces, without a subject) was posted, and Slack's answer (400,
// no_text) made it a dead letter after the request. It is refused first,
// as Telegram refuses one, with a permanent error that says so. A subject
// of spaces alone is no subject (it was sent as "* *").
func TestSlackEmptyMessageRefused(t *testing.T) {
	ch, sent := slackSink(t)
	*sent = "(nothing)"
	m := testMessage()
	for _, c := range []struct{ subject, text string }{{"", ""}, {" ", "\n\t"}} {
		m.Subject, m.Text = c.subject, c.text
		err := ch.Send(context.Background(), m)
		const want = `slack: recipient "anna": the message has no text and no subject (Slack refuses an empty message)`
		if err == nil || err.Error() != want || !deliver.IsPermanent(err) {
			t.Fatalf("subject %q, text %q: error %v, want the permanent %q", c.subject, c.text, err, want)
		}
		if *sent != "(nothing)" {
			t.Fatalf("sent %q: a message with neither text nor subject reached Slack", *sent)
		}
	}
	m.Subject, m.Text = " ", "Анна: 1 700 000 ₽"
	if err := ch.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if *sent != "Анна: 1 700 000 ₽" {
		t.Fatalf("sent %q, want the text alone", *sent)
	}
}

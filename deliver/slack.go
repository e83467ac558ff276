package deliver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Slack is a channel that posts the message's text to a Slack incoming
// webhook, the subject in bold, with "&", "<" and ">" escaped as Slack
// asks (a name cannot mention a room or make a link), and each "*", "_",
// "~" and "`" of the subject between zero-width spaces (it cannot end the
// bold, nor set a part of it in italics, struck through or as code: a goal
// id such as revenue_plan_q1 reads as written). The dispatcher renders a
// Slack message's text with the same marks of every value its template
// inserts (a goal's, a person's, a period's name) between zero-width
// spaces, the template's own marks left to format, and with their control
// and bidirectional formatting characters written as Go escapes, as in
// every channel's text (see Templates). A text past Slack's 40,000
// characters, the subject included, is cut as Telegram's is, with a final
// "…", never inside an entity, an escape or a mark between its zero-width
// spaces. The webhook's URL is a secret (whoever knows it can post) and is
// never written in errors. Incoming webhooks have no idempotency key: see
// Telegram for what a crash mid-delivery can do.
type Slack struct {
	url    string
	client *http.Client
	// refused is why the channel sends nothing (its URL is http:// to
	// another machine); nil when it sends.
	refused error
}

// NewSlack returns a channel to the incoming webhook at url. A nil client is
// http.DefaultClient. A url over http:// to another machine than this one
// (localhost or a loopback address) is refused, as OpenChannels refuses
// it: the URL is the webhook's secret, and would travel in clear text.
// Every Send of such a channel fails with a ChannelFault saying so, and
// nothing leaves the machine.
func NewSlack(url string, client *http.Client) *Slack {
	s := &Slack{url: url, client: client}
	if inClear(url) {
		s.refused = ChannelFault(errors.New("slack: the incoming webhook's URL is http:// to another machine: " + slackClear))
	}
	return s
}

// Send implements Channel.
func (s *Slack) Send(ctx context.Context, m Message) error {
	if s.refused != nil {
		return s.refused
	}
	text := slackEscape(m.Text)
	if strings.TrimSpace(m.Subject) != "" {
		text = "*" + slackSubjectEscaper.Replace(m.Subject) + "*\n" + text
	}
	if strings.TrimSpace(text) == "" {
		// Slack refuses an empty text (no_text): a dead letter after the
		// request, where saying so first names the recipient.
		return Permanent(fmt.Errorf("slack: recipient %q: the message has no text and no subject (Slack refuses an empty message)", m.To.User))
	}
	body, err := json.Marshal(map[string]string{"text": cut(text, slackMax, splitsSlack)})
	if err != nil {
		return Permanent(fmt.Errorf("slack: %w", err))
	}
	a, err := post(ctx, s.client, "slack", s.url, nil, body)
	if err != nil {
		return err
	}
	if a.code/100 != 2 {
		return withWait(statusError("slack", a.code, snippet(a.data, urlSecrets(s.url)...), webhookFaults...), a.wait)
	}
	return nil
}

// slackMax is the most characters of a message's text that Slack keeps:
// it truncates a longer one where it falls ("Truncating really long
// messages", Slack's changelog of April 2018). The channel cuts the text
// as sent (its subject, entities and zero-width spaces counted) to it
// first, as Telegram's is cut, counted in UTF-16 code units, never fewer
// than Slack's characters.
const slackMax = 40000

// slackEscaper escapes the three characters Slack reads as markup in a
// message's text ("<…>" a link or a mention such as <!channel>, "&" an
// entity), so that text from outside is shown as written.
var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// slackSubjectEscaper is slackEscaper for the subject, which the message
// sets in bold between two "*". Slack documents escapes for "&", "<" and
// ">" only; mrkdwn has none for its four marks of formatting, "*" (bold),
// "_" (italics), "~" (struck through) and "`" (code), which in a subject
// ended the bold early or set a part of it apart ("Q1 *Hot* deals" bold
// "Q1 ", then "Hot" plain; "revenue_plan_q1" with "plan" in italics). So
// each of them stands between two zero-width spaces, where it neither
// opens nor closes a span (mrkdwn takes a mark for markup only beside a
// space, punctuation or the text's end) and reads as written.
var slackSubjectEscaper = strings.NewReplacer(append([]string{"&", "&amp;", "<", "&lt;", ">", "&gt;"}, slackMarks...)...)

// slackMarks are mrkdwn's four marks of formatting, each with what it is
// written as to read as written: between two zero-width spaces.
var slackMarks = []string{"*", "\u200b*\u200b", "_", "\u200b_\u200b", "~", "\u200b~\u200b", "`", "\u200b`\u200b"}

// slackValues puts each of mrkdwn's marks in a value a template inserts
// into a message's text between zero-width spaces, as in the subject: a
// name such as revenue_plan or *Anna* reads as written, where it set a
// part of the message in italics or bold. Slack's "&", "<" and ">" are
// escaped in the whole text when it is sent.
var slackValues = strings.NewReplacer(slackMarks...)

// slackEscape escapes s for Slack's text.
func slackEscape(s string) string { return slackEscaper.Replace(s) }

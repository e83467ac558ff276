package deliver_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/deliver"
	"pgregory.net/rapid"
)

// mrkdwn's four marks of formatting, "*" bold, "_" italics, "~" struck
// through and "`" code, in a subject each stand between zero-width spaces,
// where mrkdwn reads them as written: a goal id such as "revenue_plan_q1"
// was sent as it is, with "plan" in italics, and "~" or "`" set a part of
// the subject struck through or as code. Each mark alone, doubled, at
// either edge of the subject and inside a word.
func TestSlackEscapesMarksInTheSubject(t *testing.T) {
	const z = "\u200b"
	for _, mark := range []string{"*", "_", "~", "`"} {
		e := z + mark + z
		for _, c := range []struct{ name, subject, want string }{
			{"alone", mark, e},
			{"doubled", mark + mark, e + e},
			{"at the start", mark + "revenue", e + "revenue"},
			{"at the end", "revenue" + mark, "revenue" + e},
			{"around", mark + "plan" + mark, e + "plan" + e},
			{"inside words", "revenue" + mark + "plan" + mark + "q1", "revenue" + e + "plan" + e + "q1"},
			{"beside spaces", "a " + mark + "b" + mark + " c", "a " + e + "b" + e + " c"},
		} {
			t.Run(mark+" "+c.name, func(t *testing.T) {
				m := testMessage()
				m.Subject = c.subject
				m.Text = "_done_"
				got := slackText(t, m)
				want := "*" + c.want + "*\n_done_"
				if got != want {
					t.Errorf("subject %q: text\n%q\nwant\n%q", c.subject, got, want)
				}
			})
		}
	}
}

// slackMarks are the characters mrkdwn reads as formatting around a span.
const slackMarks = "*_~`"

// slackUnescape reads a subject back as Slack shows it, from the rules
// Slack documents and the channel's doc comment, written here apart from
// the channel's escaper: "&amp;", "&lt;" and "&gt;" are "&", "<" and ">",
// and a mark between two zero-width spaces is the mark, the spaces
// invisible; every other character is itself.
func slackUnescape(s string) string {
	const z = "\u200b"
	var b strings.Builder
	for i := 0; i < len(s); {
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, "&amp;"):
			b.WriteByte('&')
			i += len("&amp;")
		case strings.HasPrefix(rest, "&lt;"):
			b.WriteByte('<')
			i += len("&lt;")
		case strings.HasPrefix(rest, "&gt;"):
			b.WriteByte('>')
			i += len("&gt;")
		case strings.HasPrefix(rest, z) && len(rest) >= 2*len(z)+1 &&
			strings.IndexByte(slackMarks, rest[len(z)]) >= 0 && strings.HasPrefix(rest[len(z)+1:], z):
			b.WriteByte(rest[len(z)])
			i += 2*len(z) + 1
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

// A subject of any text but spaces alone (no subject) reads back as
// written (the round trip through the documented rules), and what the channel sends of it cannot format: no
// "<" or ">", an "&" only as an entity, and every mark between zero-width
// spaces, never beside a space, punctuation or the subject's edge.
func TestSlackSubjectRoundTripsProperty(t *testing.T) {
	ch, got := slackSink(t)
	rapid.Check(t, func(t *rapid.T) {
		char := rapid.OneOf(
			rapid.SampledFrom([]rune("*_~`&<>; \u200b")),
			rapid.SampledFrom([]rune("amptlg")),
			rapid.Rune(),
		)
		subject := rapid.StringOfN(char, 1, 24, -1).Draw(t, "subject")
		m := testMessage()
		m.Subject, m.Text = subject, "text"
		*got = ""
		if err := ch.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(subject) == "" {
			// A subject of spaces alone is none (Send): the text alone.
			if *got != "text" {
				t.Fatalf("subject %q of spaces alone: sent %q, want the text alone", subject, *got)
			}
			return
		}
		inner, ok := strings.CutPrefix(*got, "*")
		if ok {
			inner, ok = strings.CutSuffix(inner, "*\ntext")
		}
		if !ok {
			t.Fatalf("text %q is not the subject in bold and the text", *got)
		}
		if back := slackUnescape(inner); back != subject {
			t.Fatalf("subject %q sent as %q reads back as %q", subject, inner, back)
		}
		if strings.ContainsAny(inner, "<>") {
			t.Fatalf("subject %q sent as %q holds a < or >", subject, inner)
		}
		for i := 0; i < len(inner); i++ {
			switch c := inner[i]; {
			case c == '&':
				rest := inner[i:]
				if !strings.HasPrefix(rest, "&amp;") && !strings.HasPrefix(rest, "&lt;") && !strings.HasPrefix(rest, "&gt;") {
					t.Fatalf("subject %q sent as %q: an & at %d starts no entity", subject, inner, i)
				}
			case strings.IndexByte(slackMarks, c) >= 0:
				if !strings.HasSuffix(inner[:i], "\u200b") || !strings.HasPrefix(inner[i+1:], "\u200b") {
					t.Fatalf("subject %q sent as %q: the mark %q at %d is not between zero-width spaces", subject, inner, c, i)
				}
			}
		}
	})
}

// slackSink is a Slack channel to a webhook of the test, and the text of
// the last message it received.
func slackSink(t *testing.T) (*deliver.Slack, *string) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p struct {
			Text string `json:"text"`
		}
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
			t.Error(err)
		}
		got = p.Text
	}))
	t.Cleanup(srv.Close)
	return deliver.NewSlack(srv.URL, nil), &got
}

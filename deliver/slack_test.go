package deliver_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/goalkit/goalkit/deliver"
)

// Slack reads "<…>" in a message's text as a link or a mention and "&" as
// the start of an entity: a name such as "<!channel>" would ping the whole
// room. Names and goals that came from outside arrive as written, with
// "&", "<" and ">" escaped as Slack asks of every text.
func TestSlackEscapesControlCharacters(t *testing.T) {
	m := testMessage()
	m.Subject = "R&D <!channel>: target achieved"
	m.Text = "<@U024BE7LH> & <https://evil.example|click> > 1 &amp;"
	got := slackText(t, m)
	want := "*R&amp;D &lt;!channel&gt;: target achieved*\n" +
		"&lt;@U024BE7LH&gt; &amp; &lt;https://evil.example|click&gt; &gt; 1 &amp;amp;"
	if got != want {
		t.Errorf("text\n%q\nwant\n%q", got, want)
	}
}

// A "*" in a subject, which the message sets in bold between two "*",
// stands between zero-width spaces, where mrkdwn reads it neither as the
// start nor as the end of bold: "Q1 *Hot* deals*" was sent as
// "*Q1 *Hot* deals**", bold "Q1 " and "Hot" apart and a stray "*" at the
// end. A "*" in the text, outside the bold, is the template's.
func TestSlackEscapesAsterisksInTheSubject(t *testing.T) {
	m := testMessage()
	m.Subject = "Q1 *Hot* deals* & more"
	m.Text = "*done*"
	got := slackText(t, m)
	const z = "\u200b"
	want := "*Q1 " + z + "*" + z + "Hot" + z + "*" + z + " deals" + z + "*" + z + " &amp; more*\n*done*"
	if got != want {
		t.Errorf("text\n%q\nwant\n%q", got, want)
	}
}

// slackText is the text a Slack channel posts of m.
func slackText(t *testing.T, m deliver.Message) string {
	t.Helper()
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p struct {
			Text string `json:"text"`
		}
		json.NewDecoder(r.Body).Decode(&p)
		got = p.Text
	}))
	defer srv.Close()
	if err := deliver.NewSlack(srv.URL, nil).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	return got
}

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
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p struct {
			Text string `json:"text"`
		}
		json.NewDecoder(r.Body).Decode(&p)
		got = p.Text
	}))
	defer srv.Close()
	m := testMessage()
	m.Subject = "R&D <!channel>: target achieved"
	m.Text = "<@U024BE7LH> & <https://evil.example|click> > 1 &amp;"
	if err := deliver.NewSlack(srv.URL, nil).Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	want := "*R&amp;D &lt;!channel&gt;: target achieved*\n" +
		"&lt;@U024BE7LH&gt; &amp; &lt;https://evil.example|click&gt; &gt; 1 &amp;amp;"
	if got != want {
		t.Errorf("text\n%q\nwant\n%q", got, want)
	}
}

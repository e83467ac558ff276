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

// slackPieces are parts of a message's text, each with what Slack is sent
// of it: "&", "<" and ">" as entities, a value's mark between zero-width
// spaces (as the dispatcher renders it) and a name's escape as they are,
// and characters of one or more code points.
var slackPieces = [][2]string{
	{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"a", "a"}, {" ", " "}, {"\n", "\n"},
	{"\u200b*\u200b", "\u200b*\u200b"}, {"\u200b_\u200b", "\u200b_\u200b"}, {"*", "*"},
	{`\u202e`, `\u202e`}, {`\x1b`, `\x1b`}, {"я", "я"}, {"🚀", "🚀"},
}

// A Slack text past 40,000 characters was posted whole, and Slack cut it
// where it fell, inside an entity ("&am") or a character. It is cut as
// Telegram's is: the longest start of the text as sent, subject included,
// that fits in 40,000 UTF-16 code units with a final "…", between
// user-perceived characters and never inside an entity, an escape or a
// mark between its zero-width spaces.
func TestSlackCutsALongText(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p struct{ Text string }
		json.Unmarshal(mustRead(r.Body), &p)
		got = p.Text
	}))
	defer srv.Close()
	ch := deliver.NewSlack(srv.URL, nil)
	pieces := append(slackPieces, func() (out [][2]string) {
		for _, c := range clusters {
			out = append(out, [2]string{c, c})
		}
		return out
	}()...)
	rapid.Check(t, func(t *rapid.T) {
		filler := rapid.SampledFrom(pieces).Draw(t, "filler")
		tail := rapid.SliceOfN(rapid.SampledFrom(pieces), 0, 30).Draw(t, "tail")
		parts := append(make([][2]string, 0, 40000), [2]string{"", "*R&amp;D plan*\n"})
		for range rapid.IntRange(39900, 40300).Draw(t, "filler units") / utf16Units(filler[1]) {
			parts = append(parts, filler)
		}
		parts = append(parts, tail...)
		var text strings.Builder
		tokens := make([]string, len(parts))
		for i, p := range parts {
			text.WriteString(p[0])
			tokens[i] = p[1]
		}
		sent := strings.Join(tokens, "")
		m := testMessage()
		m.Subject = "R&D plan"
		m.Text = text.String()
		if err := ch.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		want := refCut(sent, 40000, func(string) []string { return tokens })
		if got != want || utf16Units(got) > 40000 {
			t.Fatalf("a text of %d units as sent (…%q) posted as %d units: …%q, want …%q", utf16Units(sent), sent[max(0, len(sent)-40):],
				utf16Units(got), got[max(0, len(got)-30):], want[max(0, len(want)-30):])
		}
	})
}

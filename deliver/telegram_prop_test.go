package deliver_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/goalkit/goalkit/deliver"
	"pgregory.net/rapid"
)

// escapeToken is an escape a rendered text carries for a name's control or
// bidirectional formatting character, as the templates write it.
var escapeToken = regexp.MustCompile(`^\\(x[0-9a-f]{2}|u[0-9a-f]{4}|[nrt])`)

// escapeTokens reads text from its start as tokens: an escape whole
// (escapeToken), else one character (a byte of invalid UTF-8 alone).
func escapeTokens(text string) []string {
	var tokens []string
	for rest := text; rest != ""; {
		tok := escapeToken.FindString(rest)
		if tok == "" {
			_, n := utf8.DecodeRuneInString(rest)
			tok = rest[:n]
		}
		tokens = append(tokens, tok)
		rest = rest[len(tok):]
	}
	return tokens
}

// telegramCut is what Telegram is sent of text, written apart from the
// channel: the text read from its start as tokens (an escape whole, else
// one character); the text itself when it fits in 4096 UTF-16 code units,
// else the most tokens from its start that fit with a final "…".
func telegramCut(text string) string {
	units := func(s string) int { return len(utf16.Encode([]rune(s))) }
	if units(text) <= 4096 {
		return text
	}
	cut, n := "", 0
	for _, tok := range escapeTokens(text) {
		if n+units(tok)+1 > 4096 {
			break
		}
		cut, n = cut+tok, n+units(tok)
	}
	return cut + "…"
}

// Whatever the text, Telegram gets at most 4096 UTF-16 code units: the
// text itself when it fits, else its longest start, cut between
// characters and before an escape that the cut would split (\u202e cut
// read "\u20…"), that fits with a final "…". The texts are of any runes
// and of escapes, whole, cut short or upper-case (no escape of a name),
// around the limit.
func TestTelegramCutProperty(t *testing.T) {
	var got struct{ Text string }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.Unmarshal(mustRead(r.Body), &got)
		io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()
	ch := deliver.NewTelegram(srv.URL, "t", nil)
	units := func(s string) int { return len(utf16.Encode([]rune(s))) }
	piece := rapid.OneOf(
		rapid.SampledFrom([]string{`\x1b`, `\u202e`, `\u2066`, `\u0085`, `\xff`, `\n`, `\r`, `\t`}),
		rapid.SampledFrom([]string{`\`, `\\`, `\x`, `\x1`, `\u20`, `\u202`, `\u202E`, `\X1b`, `\q`, "\n", "a", "я", "🚀", "…"}),
		rapid.Map(rapid.Rune(), func(r rune) string { return string(r) }),
	)
	rapid.Check(t, func(t *rapid.T) {
		filler := rapid.SampledFrom([]string{"a", "я", "🚀"}).Draw(t, "filler")
		head := strings.Repeat(filler, rapid.OneOf(rapid.IntRange(3960, 4100), rapid.IntRange(0, 4100)).Draw(t, "filler units")/units(filler))
		text := head + strings.Join(rapid.SliceOfN(piece, 0, 20).Draw(t, "tail"), "")
		m := testMessage()
		m.Text = text
		if err := ch.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		if want := telegramCut(text); got.Text != want || units(got.Text) > 4096 {
			t.Fatalf("a text of %d units (…%q) sent as %d units: …%q, want …%q", units(text), text[max(0, len(text)-60):],
				units(got.Text), got.Text[max(0, len(got.Text)-30):], want[max(0, len(want)-30):])
		}
	})
}

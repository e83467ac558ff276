package deliver_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
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
// channel: the text itself when it fits in 4096 UTF-16 code units, else
// its longest start that fits with a final "…" and ends where a cut may
// fall: between user-perceived characters (cutAllowed) and not inside an
// escape (the text read from its start as tokens, an escape whole, else
// one character).
func telegramCut(text string) string {
	return refCut(text, 4096, escapeTokens)
}

// refCut is telegramCut for a limit of n units and tokens, a cut falling
// only between two tokens, and between two code points only when the
// text's first character alone is past the limit.
func refCut(text string, n int, tokens func(string) []string) string {
	if utf16Units(text) <= n {
		return text
	}
	inside := make([]bool, len(text))
	at := 0
	for _, tok := range tokens(text) {
		for i := at + 1; i < at+len(tok); i++ {
			inside[i] = true
		}
		at += len(tok)
	}
	var starts []int // where the code points begin whose start fits with "…"
	u := 0           // the units before i
	for i, r := range text {
		if u+1 > n {
			break
		}
		starts = append(starts, i)
		u += utf16.RuneLen(r)
	}
	for k := len(starts) - 1; k > 0; k-- {
		if i := starts[k]; !inside[i] && cutAllowed(text, i) {
			return text[:i] + "…"
		}
	}
	// The first character alone is past the limit: cut between code
	// points.
	for k := len(starts) - 1; k > 0; k-- {
		if i := starts[k]; !inside[i] {
			return text[:i] + "…"
		}
	}
	return "…"
}

// cutAllowed reports whether a cut of text at the byte i, the start of a
// code point, falls between two user-perceived characters, by the rules
// of Unicode's extended grapheme clusters that the channel follows, each
// looked at from i: CR LF whole, a cut beside any other control
// character, none before a combining mark, a variation selector, a skin
// tone, a tag or U+200D, none after U+200D, and regional indicators in
// pairs from the start of their run.
func cutAllowed(text string, i int) bool {
	a, _ := utf8.DecodeLastRuneInString(text[:i])
	b, _ := utf8.DecodeRuneInString(text[i:])
	ri := func(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }
	switch {
	case a == '\r' && b == '\n':
		return false
	case unicode.Is(unicode.Cc, a) || unicode.Is(unicode.Cc, b):
		return true
	case unicode.In(b, unicode.Mn, unicode.Me, unicode.Mc), b == 0x200D, unicode.Is(unicode.Variation_Selector, b),
		b >= 0x1F3FB && b <= 0x1F3FF, b >= 0xE0020 && b <= 0xE007F:
		return false
	case a == 0x200D:
		return false
	case ri(a) && ri(b):
		run := 0
		for before := text[:i]; before != ""; run++ {
			r, size := utf8.DecodeLastRuneInString(before)
			if !ri(r) {
				break
			}
			before = before[:len(before)-size]
		}
		return run%2 == 0
	}
	return true
}

// clusters are user-perceived characters of several code points each, as
// names and templates write them, and single ones.
var clusters = []string{
	"a", "я", "🚀", "e\u0301", "и\u0306", "कि", "👍🏽", "👨\u200d👩\u200d👧", "🏳\ufe0f\u200d🌈",
	"👩🏽\u200d💻", "🇷🇺", "🇰🇿", "1\ufe0f\u20e3", "#\ufe0f\u20e3", "❤\ufe0f", "\r\n",
	"🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", `\u202e`, `\x1b`,
}

// Telegram's cut of a text past its limit falls between user-perceived
// characters: an emoji ZWJ sequence, a flag (two regional indicators, or
// a black flag and its tags), a skin tone, a keycap, a letter and its
// combining accent or vowel sign stay whole, where the cut fell between
// their code points ("👨\u200d…", a lone regional indicator read as a
// letter). The texts are of such characters, each whole, so that their
// joins are the only places to cut; the cut keeps the most of them that
// fit in 4096 UTF-16 code units with "…", as counted by unicode/utf16.
func TestTelegramCutKeepsCharactersWhole(t *testing.T) {
	ch, sent := telegramSink(t)
	rapid.Check(t, func(t *rapid.T) {
		filler := rapid.SampledFrom(clusters).Draw(t, "filler")
		pieces := slices.Repeat([]string{filler}, rapid.IntRange(3900, 4200).Draw(t, "filler units")/utf16Units(filler))
		pieces = append(pieces, rapid.SliceOfN(rapid.SampledFrom(clusters), 0, 40).Draw(t, "tail")...)
		text := strings.Join(pieces, "")
		m := testMessage()
		m.Text = text
		if err := ch.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(text) == "" {
			text = m.Subject // a text of spaces alone is sent as the subject
		}
		if utf16Units(text) <= 4096 {
			if *sent != text {
				t.Fatalf("a text of %d units that fits sent as %q…", utf16Units(text), (*sent)[:min(40, len(*sent))])
			}
			return
		}
		kept, ok := strings.CutSuffix(*sent, "…")
		if !ok || utf16Units(*sent) > 4096 || !strings.HasPrefix(text, kept) {
			t.Fatalf("a text of %d units sent as %d units ending …%q: not a start of it with a final \"…\" within 4096", utf16Units(text), utf16Units(*sent), (*sent)[max(0, len(*sent)-30):])
		}
		end, k := 0, 0
		for k < len(pieces) && end < len(kept) {
			end += len(pieces[k])
			k++
		}
		if end != len(kept) {
			t.Fatalf("the cut splits %q: …%q", pieces[k-1], (*sent)[max(0, len(*sent)-30):])
		}
		if utf16Units(kept)+utf16Units(pieces[k])+1 <= 4096 {
			t.Fatalf("the cut before %q (%d units) leaves room for it", pieces[k], utf16Units(kept))
		}
	})
}

// Whatever the text, Telegram gets at most 4096 UTF-16 code units: the
// text itself when it fits, else its longest start, cut between
// user-perceived characters and before an escape that the cut would split
// (\u202e cut read "\u20…"), that fits with a final "…". The texts are of
// any runes, of characters of several code points and of their parts
// alone, and of escapes, whole, cut short or upper-case (no escape of a
// name), around the limit.
func TestTelegramCutProperty(t *testing.T) {
	ch, sent := telegramSink(t)
	piece := rapid.OneOf(
		rapid.SampledFrom([]string{`\x1b`, `\u202e`, `\u2066`, `\u0085`, `\xff`, `\n`, `\r`, `\t`}),
		rapid.SampledFrom([]string{`\`, `\\`, `\x`, `\x1`, `\u20`, `\u202`, `\u202E`, `\X1b`, `\q`, "\n", "a", "я", "🚀", "…"}),
		rapid.SampledFrom(clusters),
		rapid.SampledFrom([]string{"\u200d", "\u0301", "\ufe0f", "🏽", "🇷", "\r", "\U000E0067"}),
		rapid.Map(rapid.Rune(), func(r rune) string { return string(r) }),
	)
	rapid.Check(t, func(t *rapid.T) {
		filler := rapid.SampledFrom([]string{"a", "я", "🚀"}).Draw(t, "filler")
		head := strings.Repeat(filler, rapid.OneOf(rapid.IntRange(3960, 4100), rapid.IntRange(0, 4100)).Draw(t, "filler units")/utf16Units(filler))
		text := head + strings.Join(rapid.SliceOfN(piece, 0, 20).Draw(t, "tail"), "")
		m := testMessage()
		m.Text = text
		if err := ch.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		want := telegramCut(text)
		if strings.TrimSpace(text) == "" {
			want = m.Subject // a text of spaces alone is sent as the subject
		}
		if *sent != want || utf16Units(*sent) > 4096 {
			t.Fatalf("a text of %d units (…%q) sent as %d units: …%q, want …%q", utf16Units(text), text[max(0, len(text)-60):],
				utf16Units(*sent), (*sent)[max(0, len(*sent)-30):], want[max(0, len(want)-30):])
		}
	})
}

// telegramSink returns a Telegram channel to a Bot API that takes every
// message, and the text of the last one it took.
func telegramSink(t testing.TB) (*deliver.Telegram, *string) {
	var got struct{ Text string }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.Unmarshal(mustRead(r.Body), &got)
		io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	return deliver.NewTelegram(srv.URL, "t", nil), &got.Text
}

// utf16Units is the length of s in UTF-16 code units, as unicode/utf16
// encodes it.
func utf16Units(s string) int { return len(utf16.Encode([]rune(s))) }

// A text whose first character alone is past the limit, a letter under
// thousands of combining marks, is cut between its code points: cut
// between characters, it was "…" alone. A shorter one stays whole.
func TestTelegramCutOneLongCharacter(t *testing.T) {
	ch, sent := telegramSink(t)
	for _, tc := range []struct{ text, want string }{
		{"a" + strings.Repeat("\u0301", 5000) + " b", "a" + strings.Repeat("\u0301", 4094) + "…"},
		{"a" + strings.Repeat("\u0301", 4000) + strings.Repeat("b", 200), "a" + strings.Repeat("\u0301", 4000) + strings.Repeat("b", 94) + "…"},
		{strings.Repeat("👨\u200d", 3000), strings.Repeat("👨\u200d", 1365) + "…"},
	} {
		m := testMessage()
		m.Text = tc.text
		if err := ch.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		if *sent != tc.want {
			t.Errorf("%d code points sent as %d, want %d", utf8.RuneCountInString(tc.text), utf8.RuneCountInString(*sent), utf8.RuneCountInString(tc.want))
		}
	}
}

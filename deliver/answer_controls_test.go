package deliver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/deliver"
	"pgregory.net/rapid"
)

// A receiver's answer quoted in an error (kept in the outbox as a dead
// letter's reason, logged, printed on a terminal: plain text) has its
// control characters other than white space, its bidirectional formatting
// characters and its bytes of invalid UTF-8 written as Go escapes, for
// every HTTP channel; white space folds to one space as before. An answer
// with an escape sequence coloured the terminal that showed the error, a
// U+202E reordered its line; an answer cut to 200 bytes is cut before an
// escape, never inside it. The messages themselves go as JSON, which
// escapes what it must.
func TestAnswerControlCharactersEscaped(t *testing.T) {
	for _, c := range []struct{ name, answer, want string }{
		{"escape sequence", "\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"NUL, BEL and DEL", "a\x00b\x07c\x7fd", `a\x00b\x07c\x7fd`},
		{"C1", "a\u009b2Jb\u0080c", `a\u009b2Jb\u0080c`},
		{"bidi", "user \u202egnp.exe\u202c and \u2066x\u2069 \u200fy", `user \u202egnp.exe\u202c and \u2066x\u2069 \u200fy`},
		{"line separators", "a\u2028b\u2029c", "a b c"},
		{"white space folded", " a\t\n b\r\n\u0085c\v\fd ", "a b c d"},
		{"invalid UTF-8", "a\xffb", `a\xffb`},
		{"plain", "Bad Request: chat not found", "Bad Request: chat not found"},
		// Cut at 200 bytes before an escape that the cut would split:
		// "\x1" or "\u20" read as neither the character nor its escape.
		{"escape at the cut", strings.Repeat("a", 197) + "\x1bbbbb", strings.Repeat("a", 197) + "…"},
		{"bidi at the cut", strings.Repeat("a", 196) + "\u202ebbbb", strings.Repeat("a", 196) + "…"},
		{"escape before the cut", strings.Repeat("a", 196) + "\x1bbbbb", strings.Repeat("a", 196) + `\x1b` + "…"},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusBadRequest)
				if r.URL.Path == "/botTOKEN/sendMessage" {
					json.NewEncoder(w).Encode(map[string]any{"ok": false, "description": c.answer})
					return
				}
				w.Write([]byte(c.answer))
			}))
			defer srv.Close()
			hook, err := deliver.NewWebhook(srv.URL+"/hook", testSecret, nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, ch := range []struct {
				name string
				ch   deliver.Channel
			}{
				{"telegram", deliver.NewTelegram(srv.URL, "TOKEN", nil)},
				{"slack", deliver.NewSlack(srv.URL+"/services/T0/B0/X", nil)},
				{"webhook", hook},
			} {
				err := ch.ch.Send(context.Background(), testMessage())
				want := ch.name + ": the receiver answered 400: " + c.want
				if ch.name == "telegram" && c.name == "invalid UTF-8" {
					// Telegram's description is a JSON string: a byte of
					// invalid UTF-8 arrives as U+FFFD, which prints.
					want = ch.name + ": the receiver answered 400: a\ufffdb"
				}
				if err == nil || err.Error() != want {
					t.Errorf("%s: error\n%q\nwant\n%q", ch.name, err, want)
				}
			}
		})
	}
}

// Whatever a receiver answers, the error quotes it on one line, escaped
// (as goEscaped writes it), cut to its most characters and whole escapes
// that fit in 200 bytes, with "…" when it is cut: never inside an escape.
func TestAnswerSnippetProperty(t *testing.T) {
	var answer []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		w.Write(answer)
	}))
	defer srv.Close()
	hook, err := deliver.NewWebhook(srv.URL+"/hook", testSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	piece := rapid.OneOf(
		rapid.SampledFrom([]string{"\x1b", "\u202e", "\u2066", "\x00", "\x7f", "\u0085", "\u009b", "\xff", " ", "\t\n", "a", "я", "🚀", `\`, `\x1b`}),
		rapid.Map(rapid.Rune(), func(r rune) string { return string(r) }),
	)
	rapid.Check(t, func(t *rapid.T) {
		head := strings.Repeat("a", rapid.IntRange(0, 200).Draw(t, "head"))
		answer = []byte(head + strings.Join(rapid.SliceOfN(piece, 1, 30).Draw(t, "tail"), ""))
		err := hook.Send(context.Background(), testMessage())
		text := goEscaped(strings.Join(strings.Fields(string(answer)), " "))
		if text == "" {
			if fmt.Sprint(err) != "webhook: the receiver answered 400" {
				t.Fatalf("answer %q: error %v", answer, err)
			}
			return
		}
		got, ok := strings.CutPrefix(fmt.Sprint(err), "webhook: the receiver answered 400: ")
		if !ok {
			t.Fatalf("answer %q: error %v", answer, err)
		}
		want := text
		if len(text) > 200 {
			want = ""
			for _, tok := range escapeTokens(text) {
				if len(want)+len(tok) > 200 {
					break
				}
				want += tok
			}
			want += "…"
		}
		if got != want {
			t.Fatalf("answer %q quoted\n%q\nwant\n%q", answer, got, want)
		}
	})
}

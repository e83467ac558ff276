package deliver_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/goalkit/goalkit/deliver"
)

// A receiver's answer quoted in an error (kept in the outbox as a dead
// letter's reason, logged, printed on a terminal: plain text) has its
// control characters other than white space, its bidirectional formatting
// characters and its bytes of invalid UTF-8 written as Go escapes, for
// every HTTP channel; white space folds to one space as before. An answer
// with an escape sequence coloured the terminal that showed the error, a
// U+202E reordered its line. The messages themselves go as JSON, which
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

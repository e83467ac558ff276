package deliver_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/goalkit/goalkit/deliver"
)

// Telegram's description of a refusal goes into the error (kept in the
// outbox and logged) as the other channels' answers do: on one line, its
// start only, cut between characters, with the bot's token masked before
// the cut so that no part of it shows where the cut falls.
func TestTelegramDescriptionCut(t *testing.T) {
	const token = "123456:SECRET-token"
	long := "Bad Request:\nline two\r\n\tline three " + strings.Repeat("ж", 30000) // 60 KiB
	for _, tc := range []struct {
		name   string
		status int
		desc   string
		want   string
	}{
		{"short refusal", 400, "Bad Request: chat not found",
			"telegram: the receiver answered 400: Bad Request: chat not found"},
		{"multi-line refusal", 400, "Bad Request:\n  chat\r\nnot found\n",
			"telegram: the receiver answered 400: Bad Request: chat not found"},
		{"long refusal", 400, long,
			"telegram: the receiver answered 400: Bad Request: line two line three " + strings.Repeat("ж", 83) + "…"},
		{"long answer not ok", 200, long,
			"telegram: the answer is not ok: Bad Request: line two line three " + strings.Repeat("ж", 83) + "…"},
		{"token cut by the clip", 400, strings.Repeat("x", 190) + token,
			"telegram: the receiver answered 400: " + strings.Repeat("x", 190) + "…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				json.NewEncoder(w).Encode(map[string]any{"ok": false, "description": tc.desc})
			}))
			defer srv.Close()
			err := deliver.NewTelegram(srv.URL, token, nil).Send(context.Background(), testMessage())
			if err == nil || err.Error() != tc.want {
				t.Fatalf("error\n%q\nwant\n%q", err, tc.want)
			}
			if !utf8.ValidString(err.Error()) || strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "123456") {
				t.Errorf("error %q is not valid UTF-8 or shows part of the token", err)
			}
		})
	}
}

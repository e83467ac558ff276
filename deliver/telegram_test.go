package deliver_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/goalkit/goalkit/deliver"
)

// Telegram counts a message's 4096 characters in UTF-16 code units, as it
// counts its entities' offsets: an emoji outside the Basic Multilingual
// Plane is two. A text that fits in code points but not in code units is
// cut too, never in the middle of a character, so that the Bot API does
// not refuse it ("message is too long", a dead letter).
func TestTelegramLimitInUTF16(t *testing.T) {
	var got struct{ Text string }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.Unmarshal(mustRead(r.Body), &got)
		io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()
	for _, tc := range []struct {
		text, want string
	}{
		{strings.Repeat("🚀", 3000), strings.Repeat("🚀", 2047) + "…"},
		{"я" + strings.Repeat("🚀", 2100), "я" + strings.Repeat("🚀", 2047) + "…"},
		{strings.Repeat("🚀", 2048), strings.Repeat("🚀", 2048)},
		{strings.Repeat("я", 4096), strings.Repeat("я", 4096)},
	} {
		m := testMessage()
		m.Text = tc.text
		if err := deliver.NewTelegram(srv.URL, "t", nil).Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		units := len(utf16.Encode([]rune(got.Text)))
		if got.Text != tc.want || units > 4096 {
			t.Errorf("%d code units of %d sent, want %d", units, len(utf16.Encode([]rune(tc.text))), len(utf16.Encode([]rune(tc.want))))
		}
	}
}

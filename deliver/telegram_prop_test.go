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
	"pgregory.net/rapid"
)

// Whatever the text, Telegram gets at most 4096 UTF-16 code units: the
// text itself when it fits, else its longest start, cut between
// characters, that fits with a final "…".
func TestTelegramCutProperty(t *testing.T) {
	var got struct{ Text string }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.Unmarshal(mustRead(r.Body), &got)
		io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()
	ch := deliver.NewTelegram(srv.URL, "t", nil)
	units := func(s string) int { return len(utf16.Encode([]rune(s))) }
	char := rapid.OneOf(rapid.RuneFrom([]rune("aя🚀…")), rapid.Rune())
	rapid.Check(t, func(t *rapid.T) {
		head := strings.Repeat(rapid.SampledFrom([]string{"a", "я", "🚀"}).Draw(t, "filler"), rapid.IntRange(0, 4100).Draw(t, "filler count"))
		text := head + string(rapid.SliceOfN(char, 0, 20).Draw(t, "tail"))
		m := testMessage()
		m.Text = text
		if err := ch.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		if units(text) <= 4096 {
			if got.Text != text {
				t.Fatalf("a text of %d units sent as %d", units(text), units(got.Text))
			}
			return
		}
		cut, ok := strings.CutSuffix(got.Text, "…")
		if !ok || !strings.HasPrefix(text, cut) || units(got.Text) > 4096 {
			t.Fatalf("a text of %d units sent as %d: %q…", units(text), units(got.Text), got.Text[max(0, len(got.Text)-20):])
		}
		next := []rune(text[len(cut):])[0]
		if units(cut)+units(string(next))+1 <= 4096 {
			t.Fatalf("cut at %d units, where %q fits too", units(cut), next)
		}
	})
}

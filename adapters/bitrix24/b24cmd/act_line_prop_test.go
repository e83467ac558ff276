package b24cmd_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/adapters/bitrix24/b24cmd"
	"pgregory.net/rapid"
)

// TestParseNotificationsErrorLine: a report broken anywhere (a stray
// character at the start of a line, outside any string), after any blank
// lines, a byte order mark or CRLF line ends, is refused with the line the
// stray character is on, counted by hand in the test as the lines before
// it plus one.
func TestParseNotificationsErrorLine(t *testing.T) {
	ns := notifications()
	rapid.Check(t, func(t *rapid.T) {
		var doc []byte
		if rapid.Bool().Draw(t, "report") {
			doc, _ = json.MarshalIndent(map[string]any{"values": []any{}, "notifications": ns}, "", "  ")
		} else {
			doc, _ = json.MarshalIndent(ns, "", "\t")
		}
		lines := strings.Split(string(doc), "\n")
		// Past the first line, where the document has begun.
		at := rapid.IntRange(1, len(lines)-1).Draw(t, "line")
		indent := len(lines[at]) - len(strings.TrimLeft(lines[at], " \t"))
		lines[at] = lines[at][:indent] + "#" + lines[at][indent:]
		lead := rapid.IntRange(0, 3).Draw(t, "blank lines before")
		eol := rapid.SampledFrom([]string{"\n", "\r\n"}).Draw(t, "line end")
		text := strings.Repeat(eol, lead) + strings.Join(lines, eol)
		if rapid.Bool().Draw(t, "byte order mark") {
			text = "\ufeff" + text
		}
		_, err := b24cmd.ParseNotifications([]byte(text))
		want := fmt.Sprintf("line %d: invalid character '#'", lead+at+1)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Fatalf("err = %v, want it to start %q", err, want)
		}
	})
}

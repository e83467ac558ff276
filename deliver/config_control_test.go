package deliver_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/deliver"
)

// A character the YAML library refuses is named on its own line and
// column; the library says "control characters are not allowed" (or
// "invalid leading UTF-8 octet") without a line, and the error read line 1
// wherever it was.
func TestParseConfigControlCharacterLine(t *testing.T) {
	head := "outbox: x.db\nchannels:\n"
	for _, tc := range []struct {
		name, src, want string
	}{
		// "  - name: a" is 11 characters: the next one is column 12.
		{"NUL on line 3", head + "  - name: a\x00\n", "c.yaml:3: the control character U+0000 in column 12 is not allowed"},
		{"SOH in quotes", head + "  - name: \"a\x01\"\n", "c.yaml:3: the control character U+0001 in column 13 is not allowed"},
		{"DEL", head + "  - name: a\x7f\n", "c.yaml:3: the control character U+007F in column 12 is not allowed"},
		{"C1 control", head + "  - name: a\u0086\n", "c.yaml:3: the control character U+0086 in column 12 is not allowed"},
		{"U+FFFE", head + "  - name: \ufffe\n", "c.yaml:3: the control character U+FFFE in column 11 is not allowed"},
		// "    url: \"http://x" is 18 characters.
		{"escape on line 5", head + "  - name: a\n    type: webhook\n    url: \"http://x\x1b\"\n", "c.yaml:5: the control character U+001B in column 19 is not allowed"},
		// Columns count characters, not bytes: "é" is one.
		{"after a two-byte character", head + "  - name: é\x00\n", "c.yaml:3: the control character U+0000 in column 12 is not allowed"},
		{"not UTF-8", head + "  - name: a\xff\n", "c.yaml:3: the byte 0xFF in column 12 is not UTF-8: save the file as UTF-8"},
		{"cut UTF-8", head + "  - name: a\xc3\n", "c.yaml:3: the byte 0xC3 in column 12 is not UTF-8: save the file as UTF-8"},
		// Lines end where the library ends them.
		{"CR LF", "outbox: x.db\r\nchannels:\r\n  - name: a\x00\r\n", "c.yaml:3: the control character U+0000 in column 12 is not allowed"},
		{"CR alone", "outbox: x.db\rchannels:\r  - name: a\x00\r", "c.yaml:3: the control character U+0000 in column 12 is not allowed"},
		{"line separator", "outbox: x.db\u2028channels:\n  - name: a\x00\n", "c.yaml:3: the control character U+0000 in column 12 is not allowed"},
		{"on line 1", "\x00outbox: x.db\n", "c.yaml:1: the control character U+0000 in column 1 is not allowed"},
		{"at the end", head + "  - name: a\n\x04", "c.yaml:4: the control character U+0004 in column 1 is not allowed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := deliver.ParseConfig("c.yaml", []byte(tc.src))
			if err == nil || err.Error() != tc.want {
				t.Errorf("ParseConfig(%q):\n got %v\nwant %s", tc.src, err, tc.want)
			}
		})
	}
}

// A control character deep in a long file is found on its line: line n of
// a file of n lines, each of a channel's field.
func TestParseConfigControlCharacterLongFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("outbox: x.db\nchannels:\n")
	for range 38 {
		b.WriteString("  - {name: a, type: webhook, url: \"http://x\", secret_env: S}\n")
	}
	b.WriteString("  - {name: b\x00}\n") // line 2 + 38 + 1, after 12 characters
	_, err := deliver.ParseConfig("c.yaml", []byte(b.String()))
	if want := "c.yaml:41: the control character U+0000 in column 13 is not allowed"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

package jsonstr

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"
)

func TestAppend(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", `""`},
		{"anna", `"anna"`},
		{"Выручка за март", `"Выручка за март"`},
		{`say "hi" \ bye`, `"say \"hi\" \\ bye"`},
		{"a\nb\rc\td", `"a\nb\rc\td"`},
		{"\x00\x1b\x7f", `"\u0000\u001b\u007f"`},
		{"<a&b>", `"<a&b>"`},
		{"line\u2028para\u2029", `"line\u2028para\u2029"`},
		{"soft\u00adhyphen", `"soft\u00adhyphen"`},
		{"rtl\u202eltr", `"rtl\u202eltr"`},
		{"emoji 😀", `"emoji 😀"`},
		{"tag \U000e0041", `"tag \udb40\udc41"`},
		{"bad \xff utf-8", `"bad \ufffd utf-8"`},
		{"cut \xe2\x82", `"cut \ufffd\ufffd"`},
	} {
		if got := Quote(c.in); got != c.want {
			t.Errorf("Quote(%q) = %s, want %s", c.in, got, c.want)
		}
		if got := string(Append([]byte("x"), c.in)); got != "x"+c.want {
			t.Errorf("Append(x, %q) = %s", c.in, got)
		}
	}
}

// What Append writes is one JSON string that encoding/json reads back as
// the text (each byte of invalid UTF-8 as U+FFFD), and
// that holds no control character, no line or paragraph separator and no
// invalid UTF-8 of its own.
func TestAppendReadsBack(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.String().Draw(t, "s")
		if rapid.Bool().Draw(t, "bytes") {
			s = string(rapid.SliceOf(rapid.Byte()).Draw(t, "b"))
		}
		out := Quote(s)
		var back string
		if err := json.Unmarshal([]byte(out), &back); err != nil {
			t.Fatalf("%s: %v", out, err)
		}
		if back != validRunes(s) {
			t.Fatalf("%q came back as %q", s, back)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("%q: invalid UTF-8 in %q", s, out)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029 {
				t.Fatalf("%q: %U written as is in %q", s, r, out)
			}
		}
	})
}

// validRunes is s with each byte of invalid UTF-8 replaced by U+FFFD, as
// encoding/json and a range loop read it.
func validRunes(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r)
	}
	return b.String()
}

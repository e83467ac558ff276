package display

import (
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"pgregory.net/rapid"
)

func TestText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"anna", "anna"},
		{"Выручка (RUB)", "Выручка (RUB)"},
		{`a\b`, `a\b`},
		{"\u001b[2J", `\x1b[2J`},
		{"line\nnext\r\tx", `line\nnext\r\tx`},
		{"del\x7f", `del\x7f`},
		{"csi\u009b2J", `csi\u009b2J`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"abc\u202edcba", `abc\u202edcba`},
		{"\u2066iso\u2069", `\u2066iso\u2069`},
		{"sep\u2028x", `sep\u2028x`},
		{"emoji 🎯", "emoji 🎯"},
	}
	for _, c := range cases {
		if got := Text(c.in); got != c.want {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTextKeepsCleanStrings(t *testing.T) {
	s := strings.Repeat("participant ", 4)
	if got := testing.AllocsPerRun(100, func() { _ = Text(s) }); got != 0 {
		t.Errorf("Text of clean text allocates %v times, want 0", got)
	}
}

func TestCell(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"anna", "anna"},
		{"*", "*"},
		{`=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{"+7 900", "'+7 900"},
		{"-5", "'-5"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"a=b", "a=b"},
	}
	for _, c := range cases {
		if got := Cell(c.in); got != c.want {
			t.Errorf("Cell(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestGrouped(t *testing.T) {
	cases := []struct{ in, want string }{
		{"0", "0"},
		{"999", "999"},
		{"1000", "1 000"},
		{"-1000", "-1 000"},
		{"-999.5", "-999.5"},
		{"1570500.00", "1 570 500.00"},
		{"152666.6667", "152 666.6667"},
		{"12345678", "12 345 678"},
	}
	for _, c := range cases {
		if got := Grouped(c.in); got != c.want {
			t.Errorf("Grouped(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Whatever the text, Text's output has no control character, no
// bidirectional control and only valid UTF-8; Cell's output never starts
// a formula and is the text itself after the quote it may add; Grouped
// changes nothing but spaces; IDProblem accepts exactly what has none of
// C0, DEL, C1 and invalid UTF-8.
func TestProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.OneOf(rapid.String(), rapid.StringOf(rapid.RuneFrom(nil, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Latin)),
			rapid.Custom(func(t *rapid.T) string { return string(rapid.SliceOf(rapid.Byte()).Draw(t, "bytes")) })).Draw(t, "s")
		out := Text(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Text(%q) = %q is not valid UTF-8", s, out)
		}
		for _, r := range out {
			if escaped(r, utf8.RuneLen(r)) {
				t.Fatalf("Text(%q) = %q keeps %U", s, out, r)
			}
		}
		clean := utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return escaped(r, utf8.RuneLen(r)) })
		if clean != (out == s) {
			t.Fatalf("Text(%q) = %q", s, out)
		}
		c := Cell(s)
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			t.Fatalf("Cell(%q) = %q starts a formula", s, c)
		}
		if c != s && "'"+s != c {
			t.Fatalf("Cell(%q) = %q", s, c)
		}
		id := utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
		if id != (IDProblem(s) == "") {
			t.Fatalf("IDProblem(%q) = %q", s, IDProblem(s))
		}
		n := rapid.Int64().Draw(t, "n")
		str := strconv.FormatInt(n, 10) + rapid.SampledFrom([]string{"", ".5", ".0001"}).Draw(t, "frac")
		if g := Grouped(str); strings.ReplaceAll(g, " ", "") != str || strings.Contains(g, "  ") || strings.HasPrefix(strings.TrimPrefix(g, "-"), " ") {
			t.Fatalf("Grouped(%q) = %q", str, g)
		}
	})
}

// PrintableASCII says true for exactly the strings of bytes in
// [0x20, 0x7e], whatever their length (the checks eight, four and one
// byte at a time).
func TestPrintableASCIIExactly(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b := rapid.SliceOfN(rapid.ByteRange(0x20, 0x7e), 0, 40).Draw(t, "printable")
		if !PrintableASCII(string(b)) {
			t.Fatalf("PrintableASCII(%q) = false", b)
		}
		if len(b) == 0 {
			return
		}
		i := rapid.IntRange(0, len(b)-1).Draw(t, "at")
		b[i] = rapid.SampledFrom([]byte{0, 0x1f, 0x7f, 0x80, 0x9b, 0xff}).Draw(t, "bad")
		if PrintableASCII(string(b)) {
			t.Fatalf("PrintableASCII(%q) = true", b)
		}
	})
}

func TestClip(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{
		{"short", 40, "short"},
		{"abcdef", 6, "abcdef"},
		{"abcdefg", 6, "abcdef…"},
		{"Анна", 3, "А…"}, // byte 3 is inside н: the cut goes back to its start
		{"Анна", 4, "Ан…"},
		{"😀x", 2, "…"},
		// A negative length keeps nothing but the ellipsis, as zero does.
		{"abc", 0, "…"},
		{"abc", -1, "…"},
		{"", -5, ""},
	} {
		if got := Clip(tc.s, tc.n); got != tc.want || !utf8.ValidString(got) {
			t.Errorf("Clip(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
	}
}

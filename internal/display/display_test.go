package display

import (
	"strings"
	"testing"
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

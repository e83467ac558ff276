package pdf

import (
	"slices"
	"testing"
	"unicode/utf8"
)

// breakLines breaks a paragraph at spaces only, never at a no-break space,
// and a word wider than a line where it reaches the edge; every character
// but the spaces lines end at is kept. Widths here are in characters.
func TestBreakLines(t *testing.T) {
	runes := func(s string) float64 { return float64(utf8.RuneCountInString(s)) }
	cases := []struct {
		name string
		in   string
		room float64
		want []string
	}{
		{"fits", "one two", 10, []string{"one two"}},
		{"at spaces", "one two three four", 9, []string{"one two", "three", "four"}},
		{"not at a no-break space", "aa 1\u00a0500\u00a0000 bb", 10, []string{"aa", "1\u00a0500\u00a0000", "bb"}},
		{"a long word where it reaches the edge", "abcdefghij xy", 4, []string{"abcd", "efgh", "ij", "xy"}},
		{"double spaces kept", "a  b", 10, []string{"a  b"}},
		{"empty", "", 10, []string{""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := breakLines(c.in, c.room, runes); !slices.Equal(got, c.want) {
				t.Errorf("breakLines(%q, %v) = %q, want %q", c.in, c.room, got, c.want)
			}
		})
	}
}

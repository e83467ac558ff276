package format

import (
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// Visual orders text as the bidirectional algorithm draws it from left to
// right; every want is worked out by hand from UAX #9.
func TestVisual(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"left to right as it is", "Anna Smith (north), 2025-03", "Anna Smith (north), 2025-03"},
		{"empty", "", ""},
		{"a Hebrew word reversed", "עברית", "תירבע"},
		{"Hebrew words in reverse order", "שלום עולם", "םלוע םולש"},
		{"Arabic words in reverse order", "مبيعات الشركة", "ةكرشلا تاعيبم"},
		{"marks stay after their letter", "עִברִית", "תירִבעִ"},
		{"in a left-to-right line", "Goal: עברית is set", "Goal: תירבע is set"},
		// ", " lies between R and a number (counted as R) and is R; the
		// number keeps its order, and goes with the Hebrew before it.
		{"a number after Hebrew goes with it", "Goal: עברית, 2025-03", "Goal: 2025-03 ,תירבע"},
		{"a number inside Hebrew keeps its order", "שלום 123 עולם", "םלוע 123 םולש"},
		{"a number after Latin stays", "abc 2025 עברית", "abc 2025 תירבע"},
		// The pair around Hebrew after Hebrew is R: mirrored when reversed.
		{"brackets mirrored", "אבג (דה)", "(הד) גבא"},
		{"brackets around Hebrew after Latin", "north (דה)", "north (הד)"},
		{"a percent with its number", "שלום 50%", "50% םולש"},
		{"trailing space stays at the end", "עברית ", "תירבע "},
		// An isolate (Isolate, or the marks U+2066 to U+2069) is laid out
		// by itself and counts as one neutral character outside: a
		// right-to-left name no longer takes the period after it into its
		// run.
		{"a name before a period", "Goal: " + Isolate("עברית") + ", 2025-03", "Goal: תירבע, 2025-03"},
		{"a name ending in a number", "Scorecard: " + Isolate("צפון 2") + ", 2025-03", "Scorecard: 2 ןופצ, 2025-03"},
		{"a name and a period, no line around them", Isolate("צפון") + " 2025-03", "ןופצ 2025-03"},
		{"a left-to-right name before Hebrew", Isolate("abc") + " שלום", "abc םולש"},
		{"a left-to-right name inside Hebrew", "שלום " + Isolate("abc") + " עולם", "םלוע abc םולש"},
		// In the isolate "1" is EN (no L before it), the space R, "ab"
		// L: levels 2 1 2 2, so "ab" comes first.
		{"a right-to-left isolate of Latin", "x \u20671 ab\u2069 y", "x ab 1 y"},
		{"an isolate left open runs to the end", "Goal: \u2068עברית, 2025-03", "Goal: 2025-03 ,תירבע"},
		{"a closing mark alone is left out", "א\u2069ב", "בא"},
		{"marks left out of Latin", "a\u2068b\u2069c", "abc"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Visual(c.in); got != c.want {
				t.Errorf("Visual(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// Visual only reorders: any text gives back its characters, each once (a
// bracket perhaps as its mirror image), and text without a right-to-left
// character as it is.
func TestVisualReorders(t *testing.T) {
	alphabet := []rune("ab1 2.,-+%()[]«»<>:\u05d0\u05d1\u05b4\u0627\u0644\u0661\u0662\u0300\t'\"\u2066\u2067\u2068\u2069")
	rapid.Check(t, func(t *rapid.T) {
		rs := rapid.SliceOfN(rapid.SampledFrom(alphabet), 0, 30).Draw(t, "text")
		in := string(rs)
		out := Visual(in)
		norm := func(s string) []rune {
			var n []rune
			for _, r := range s {
				n = append(n, min(r, mirror(r)))
			}
			slices.Sort(n)
			return n
		}
		if !slices.Equal(norm(Unmarked(in)), norm(out)) {
			t.Fatalf("Visual(%q) = %q: not the same characters", in, out)
		}
		if !hasRTL(in) && !strings.ContainsRune(in, rli) && out != Unmarked(in) {
			t.Fatalf("Visual(%q) = %q, without a right-to-left character", in, out)
		}
	})
}

// VisualLines resolves the classes over the whole paragraph and reorders
// each line by itself: a number that starts a line after right-to-left
// text at the end of the line before stays in that text (at the right),
// where Visual of the line alone puts it at the left.
func TestVisualLines(t *testing.T) {
	cases := []struct {
		name     string
		in, want []string
	}{
		{"left to right as it is", []string{"Anna Smith", "(north), 2025-03"}, []string{"Anna Smith", "(north), 2025-03"}},
		{"one line as Visual", []string{"Goal: עברית is set"}, []string{"Goal: תירבע is set"}},
		{"each line reversed by itself", []string{"שלום עולם", "אבג דה"}, []string{"םלוע םולש", "הד גבא"}},
		{"a number at a line's start after Hebrew", []string{"חמש", "15 אחת 16"}, []string{"שמח", "16 תחא 15"}},
		{"a number at a line's start after Latin", []string{"abc", "15 אחת"}, []string{"abc", "15 תחא"}},
		{"a number ending a line keeps its order", []string{"אחת 123", "שתיים"}, []string{"123 תחא", "םייתש"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := VisualLines(c.in); !slices.Equal(got, c.want) {
				t.Errorf("VisualLines(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
	if got, want := Visual("15 אחת 16"), "15 16 תחא"; got != want {
		t.Errorf("Visual of the line alone = %q, want %q", got, want)
	}
}

// Isolate leaves out the marks of isolates in its text, so that it is one
// isolate.
func TestIsolate(t *testing.T) {
	if got, want := Isolate("a\u2069b\u2066"), "\u2068ab\u2069"; got != want {
		t.Errorf("Isolate keeps the marks in its text: %q, want %q", got, want)
	}
}

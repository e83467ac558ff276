package format

import "testing"

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
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Visual(c.in); got != c.want {
				t.Errorf("Visual(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

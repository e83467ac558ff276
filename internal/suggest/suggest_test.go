package suggest

import "testing"

func TestClosest(t *testing.T) {
	cands := []string{"source", "pipeline", "amount", "aggregate", "id", "kind"}
	cases := map[string]string{
		"sorce": "source", "agregate": "aggregate", "Source": "source", "amout": "amount",
		"kid": "id", "xy": "", "pipe": "", "completely_else": "", "source": "",
	}
	for in, want := range cases {
		if got := Closest(in, cands); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Closest("z", []string{"a", "b"}); got != "" {
		t.Errorf("a one-letter name suggested %q", got)
	}
	if got := Closest("ab", []string{"ac", "aa"}); got != "aa" {
		t.Errorf("tie: got %q, want the first in order, aa", got)
	}
	if d := Distance("привет", "привёт"); d != 1 {
		t.Errorf("Distance counts runes: got %d", d)
	}
}

func TestHintAndUnknown(t *testing.T) {
	if got := Hint("revenu", []string{"won", "revenue"}); got != ` (did you mean "revenue"?)` {
		t.Errorf("Hint: %q", got)
	}
	if got := Hint("zzz", []string{"won", "revenue"}); got != "" {
		t.Errorf("Hint of nothing close: %q", got)
	}
	if got := Unknown("indicator", "revenu", []string{"revenue"}); got != `unknown indicator "revenu" (did you mean "revenue"?)` {
		t.Errorf("Unknown: %q", got)
	}
}

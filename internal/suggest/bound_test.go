package suggest

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"pgregory.net/rapid"
)

// refDistance is the Levenshtein distance in runes, every cell of the
// table computed.
func refDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range rb {
		d[0][j+1] = j + 1
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			sub := d[i-1][j-1]
			if ra[i-1] != rb[j-1] {
				sub++
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, sub)
		}
	}
	return d[len(ra)][len(rb)]
}

// refClosest is Closest as its comment says it, every candidate's full
// distance computed.
func refClosest(name string, candidates []string) string {
	best, bestD := "", 1<<30
	limit := 2
	if utf8.RuneCountInString(name) <= 4 {
		limit = 1
	}
	for _, c := range candidates {
		if c == name {
			continue
		}
		d := refDistance(name, c)
		if strings.EqualFold(c, name) {
			d = 0
		} else if d >= utf8.RuneCountInString(name) || d >= utf8.RuneCountInString(c) {
			continue
		}
		if d <= limit && (d < bestD || d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best
}

// word draws short text of few letters (a case pair, a letter of two
// bytes, one of three, an invalid byte), so that names often lie a few
// edits apart.
func word() *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		parts := rapid.SliceOfN(rapid.SampledFrom([]string{"a", "A", "b", "é", "É", "ж", "€", "\xff"}), 0, 9).Draw(t, "letters")
		return strings.Join(parts, "")
	})
}

// The distance within a bound is the full table's where that is at most
// the bound, else the bound plus one; Distance is the full table's.
func TestWithinIsTheBoundedDistance(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := word().Draw(t, "a"), word().Draw(t, "b")
		k := rapid.IntRange(0, 10).Draw(t, "k")
		want := refDistance(a, b)
		if got := within([]rune(a), []rune(b), k); got != min(want, k+1) {
			t.Fatalf("within(%q, %q, %d) = %d, want %d", a, b, k, got, min(want, k+1))
		}
		if got := Distance(a, b); got != want {
			t.Fatalf("Distance(%q, %q) = %d, want %d", a, b, got, want)
		}
	})
}

// Closest, which passes over the candidates of lengths too far and
// compares the others within the limit, answers as every candidate's full
// distance does.
func TestClosestIsTheFullDistances(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		name := word().Draw(t, "name")
		cands := rapid.SliceOfN(word(), 0, 8).Draw(t, "candidates")
		if got, want := Closest(name, cands), refClosest(name, cands); got != want {
			t.Fatalf("Closest(%q, %q) = %q, want %q", name, cands, got, want)
		}
	})
}

// A name of 100,000 bytes is looked for among a plan's 1,000 names and a
// table's actors as long in linear time, and the candidate it is a typo of
// is quoted cut to 64 bytes: every candidate's full distance took 12 s
// for the names and about 35 s for each long actor, and the hint quoted
// the actor whole.
func TestHintOfALongName(t *testing.T) {
	long := strings.Repeat("x", 100_000)
	var names []string
	for i := range 1000 {
		names = append(names, fmt.Sprintf("indicator_number_%d", i))
	}
	names = append(names, long+"y", long[1:]+"yz")
	start := time.Now()
	got := Hint(long, names)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the hint took %v, want well under 2 s (about 1 ms)", took)
	}
	if want := ` (did you mean "` + strings.Repeat("x", 64) + `…"?)`; got != want {
		t.Errorf("%.200q, want %q", got, want)
	}
	if got, want := Unknown("indicator", long+"y", []string{long}), `unknown indicator "`+strings.Repeat("x", 64)+`…" (did you mean "`+strings.Repeat("x", 64)+`…"?)`; got != want {
		t.Errorf("%.200q, want %q", got, want)
	}
}

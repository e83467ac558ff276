package colstore

import (
	"strconv"
	"testing"

	"pgregory.net/rapid"
)

// A dictionary's codes stay those it gave first while its cache grows
// (fit) under lookups of many strings, by code, known and identCode alike,
// and the cache keeps to eight entries a string, at most maxCached.
func TestStrDictCacheGrows(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := newStrDict()
		if rapid.Bool().Draw(t, "sized") {
			d.cache = sized(12) // as a table's actors start
		}
		n := rapid.IntRange(1, 20_000).Draw(t, "strings")
		strs := make([]string, n)
		for i := range strs {
			strs[i] = strconv.Itoa(i*7 + 1000) // each its own bytes: their own cache slots
		}
		want := map[string]uint32{}
		for range rapid.IntRange(1, 3*n).Draw(t, "lookups") {
			s := strs[rapid.IntRange(0, n-1).Draw(t, "i")]
			var c uint32
			switch rapid.IntRange(0, 2).Draw(t, "how") {
			case 0:
				c = d.code(s)
			case 1:
				if c = d.known(s); c == 0 {
					c, _ = d.identCode(s)
				}
			default:
				c, _ = d.identCode(s)
			}
			if w, ok := want[s]; ok && c != w {
				t.Fatalf("%q: code %d, first %d", s, c, w)
			}
			want[s] = c
			if int(c) >= len(d.vals) || d.vals[c] != s {
				t.Fatalf("%q: code %d holds %q", s, c, d.vals[c])
			}
		}
		if e := 2 * len(d.cache.e); e > maxCached || e > 16*len(d.vals) && e > 1<<12 {
			t.Fatalf("%d entries for %d strings", e, len(d.vals))
		}
	})
}

// A table's actors, two thousand of them, end with eight cache entries
// each once they are looked up again.
func TestStrDictFitActors(t *testing.T) {
	tab := New(nil)
	actors := make([]string, 2000)
	for i := range actors {
		actors[i] = strconv.Itoa(i + 1)
		if c, bad := tab.actors.identCode(actors[i]); c != uint32(i+1) || bad != "" {
			t.Fatalf("actor %s: code %d, %q", actors[i], c, bad)
		}
	}
	for _, a := range actors {
		if c := tab.actors.known(a); tab.actors.vals[c] != a {
			t.Fatalf("actor %s: code %d", a, c)
		}
	}
	if got := 2 * len(tab.actors.cache.e); got != 1<<14 {
		t.Errorf("%d cache entries for 2,000 actors, want %d", got, 1<<14)
	}
}

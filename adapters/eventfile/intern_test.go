package eventfile

import (
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// dict agrees with a map, whatever the keys' lengths and the memory after
// them (short keys are read a word at a time, past their length).
func TestDict(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pool := rapid.SliceOfN(rapid.SliceOfN(rapid.Byte(), 0, 40), 1, 30).Draw(t, "pool")
		var d dict
		var sl slab
		ref := map[string]any{}
		for i := range rapid.IntRange(1, 200).Draw(t, "n") {
			key := rapid.SampledFrom(pool).Draw(t, "key")
			// Put the key in a larger buffer, with noise after it.
			buf := make([]byte, 0, len(key)+rapid.IntRange(0, 16).Draw(t, "slack"))
			buf = append(buf, key...)
			for len(buf) < cap(buf) {
				buf = append(buf, byte(i))
			}
			b := buf[:len(key)]
			got, ok := d.get(b)
			want, wantOK := ref[string(key)]
			if ok != wantOK || ok && got != want {
				t.Fatalf("get(%q) = %v, %v; want %v, %v", key, got, ok, want, wantOK)
			}
			if !ok {
				d.put(b, i, &sl)
				ref[string(key)] = i
			}
			if s := d.intern(b, &sl); s != string(key) {
				t.Fatalf("intern(%q) = %q", key, s)
			}
			if v := d.boxString(b, &sl); ok && v != want {
				t.Fatalf("boxString(%q) = %v after put %v", key, v, want)
			}
		}
	})
}

func TestDictFull(t *testing.T) {
	var d dict
	var sl slab
	for i := range maxCached + 100 {
		k := []byte(fmt.Sprintf("key-%d", i))
		if s := d.intern(k, &sl); s != string(k) {
			t.Fatalf("intern(%s) = %s", k, s)
		}
	}
	if d.n != maxCached {
		t.Errorf("%d entries, want %d", d.n, maxCached)
	}
	for i := range maxCached + 100 {
		_, ok := d.get([]byte(fmt.Sprintf("key-%d", i)))
		if ok != (i < maxCached) {
			t.Fatalf("key-%d: cached %v", i, ok)
		}
	}
	long := strings.Repeat("x", 40)
	if d.intern([]byte(long), &sl) != long {
		t.Error("long key")
	}
}

// Strings cut from a slab stay as they were while the slab fills.
func TestSlab(t *testing.T) {
	var sl slab
	var got []string
	var want []string
	for i := range 20000 {
		s := fmt.Sprintf("%d-%s", i, strings.Repeat("y", i%50))
		got = append(got, sl.str([]byte(s)))
		want = append(want, s)
	}
	big := strings.Repeat("z", slabSize)
	got = append(got, sl.str([]byte(big)))
	want = append(want, big)
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("string %d = %q, want %q", i, got[i], want[i])
		}
	}
	if sl.str(nil) != "" {
		t.Error("empty")
	}
}

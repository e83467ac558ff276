package eventfile

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// dict agrees with a map, whatever the keys' lengths and the memory after
// them (short keys are read a word at a time, past their length).
func TestDict(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		// Numbers as text, some with leading zeros or past maxSmall, go to
		// the direct table or the tags.
		number := rapid.Custom(func(t *rapid.T) []byte {
			n := rapid.IntRange(0, 70000).Draw(t, "n")
			return fmt.Appendf(nil, "%0*d", rapid.IntRange(0, 6).Draw(t, "width"), n)
		})
		pool := rapid.SliceOfN(rapid.OneOf(rapid.SliceOfN(rapid.Byte(), 0, 40), number), 1, 300).Draw(t, "pool")
		var d dict
		d.unbounded = rapid.Bool().Draw(t, "unbounded")
		var sl slab
		ref := map[string]any{}
		codes := map[string]uint32{}
		for i := range rapid.IntRange(1, 2000).Draw(t, "n") {
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
			if c := d.code(b); c != codes[string(key)] {
				t.Fatalf("code(%q) = %d, want %d", key, c, codes[string(key)])
			}
			if !ok {
				d.put(b, i, &sl)
				ref[string(key)] = i
			}
			// Codes are kept through the index's growth.
			if s := d.lookup(b); s != nil && rapid.IntRange(0, 2).Draw(t, "set code") == 0 {
				d.setCode(s, uint32(i+1))
				codes[string(key)] = uint32(i + 1)
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

// Numbers are found by the direct table once there are enough of them,
// and by their text: "0898" is not "898".
func TestDictNumbers(t *testing.T) {
	var d dict
	var sl slab
	d.unbounded = true
	const n = 5000
	order := rand.Perm(n)
	for _, v := range order {
		k := []byte(fmt.Sprint(v))
		if s := d.intern(k, &sl); s != string(k) {
			t.Fatalf("intern(%s) = %s", k, s)
		}
	}
	if d.nsmall != n || len(d.small) != 1<<13 {
		t.Fatalf("the direct table of %d finds %d of %d numbers", len(d.small), d.nsmall, n)
	}
	for v := range n {
		k := []byte(fmt.Sprint(v))
		s := d.lookup(k)
		if s == nil || s.key != string(k) {
			t.Fatalf("lookup(%s) = %v", k, s)
		}
		if d.lookup([]byte(fmt.Sprintf("0%d", v))) != nil {
			t.Fatalf("0%d found", v)
		}
	}
	if len(d.slots) != n {
		t.Errorf("%d slots, want %d", len(d.slots), n)
	}
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
	if len(d.slots) != maxCached {
		t.Errorf("%d entries, want %d", len(d.slots), maxCached)
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

// smallDigits agrees with strconv on every key of up to five bytes that
// is a number, and refuses the others.
func TestSmallDigits(t *testing.T) {
	check := func(key string) {
		w0, _ := words([]byte(key))
		v, ok := smallDigits(w0, len(key))
		n, err := strconv.Atoi(key)
		want := err == nil && key[0] >= '0' && key[0] <= '9' && (key[0] != '0' || len(key) == 1)
		if ok != want || ok && v != n {
			t.Fatalf("smallDigits(%q) = %d, %v; want %d, %v", key, v, ok, n, want)
		}
	}
	for v := range 100000 {
		check(strconv.Itoa(v))
		if v < 10000 {
			check("0" + strconv.Itoa(v))
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		check(string(rapid.SliceOfN(rapid.SampledFrom([]byte("0123456789/:+- a\x00\xff")), 1, 8).Draw(t, "key")))
		check(strconv.Itoa(rapid.IntRange(0, 99_999_999).Draw(t, "number")))
	})
	check("99999999")
	check("10000000")
	check("09999999")
}

// TestIDNumber checks the number of an id read from the bytes of a line
// against strconv, for ids with and without room after them.
func TestIDNumber(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		id := rapid.SliceOfN(rapid.SampledFrom([]byte("0123456789/:+-a")), 0, 10).Draw(t, "id")
		if rapid.Bool().Draw(t, "decimal") {
			id = []byte(strconv.FormatUint(rapid.Uint64Range(0, 1<<40).Draw(t, "n"), 10))
		}
		line := append(append([]byte{}, id...), rapid.SliceOfN(rapid.Byte(), 0, 12).Draw(t, "rest")...)
		b := line[:len(id):len(line)]
		n, ok := idNumber(b)
		v, err := strconv.ParseUint(string(id), 10, 64)
		want := err == nil && (id[0] != '0' || len(id) == 1) && len(id) <= 8 && cap(b) >= 8
		if ok != want || ok && n != v {
			t.Fatalf("idNumber(%q, cap %d) = %d, %v; want %d, %v", id, cap(b), n, ok, v, want)
		}
	})
}

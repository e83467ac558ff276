package sqlcore

import (
	"testing"
	"time"
)

// TestAttrStringNotUTF8 checks that a string attribute JSON cannot carry
// (bytes that are not UTF-8, which JSON would turn into U+FFFD) is refused
// when written, by both encodings, instead of coming back as another value.
func TestAttrStringNotUTF8(t *testing.T) {
	in := map[string]any{"source": "caf\xe9"}
	want := `attribute "source": "caf\xe9" is not valid UTF-8`
	if js, err := encodeAttrs(in); err == nil || err.Error() != want {
		t.Errorf("attrs: got %q, %v; want the error %s", js, err, want)
	}
	if js, err := encodeTyped(in); err == nil || err.Error() != want {
		t.Errorf("typed: got %q, %v; want the error %s", js, err, want)
	}
	for _, ok := range []string{"café", "", "日本"} {
		js, err := encodeTyped(map[string]any{"s": ok})
		if err != nil {
			t.Fatal(err)
		}
		back, err := decodeTyped(js)
		if err != nil || back["s"] != ok {
			t.Errorf("typed %q: came back as %q (%v)", ok, back["s"], err)
		}
	}
}

// Of several attributes neither encoding can write, both name the least,
// every time; the typed one named the first in the map's order.
func TestAttrsRefusedNameTheLeast(t *testing.T) {
	in := map[string]any{"z": "\xff", "m": time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "c": "\xfe", "y": 1.5, "k": "ok"}
	want := `attribute "c": "\xfe" is not valid UTF-8`
	for range 50 {
		if _, err := encodeAttrs(in); err == nil || err.Error() != want {
			t.Fatalf("attrs: got %v; want the error %s", err, want)
		}
		if _, err := encodeTyped(in); err == nil || err.Error() != want {
			t.Fatalf("typed: got %v; want the error %s", err, want)
		}
	}
}

package colstore

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// A snapshot whose dictionary holds an entry twice, or an entry that is not
// an identifier, is refused naming the entry cut to 64 bytes: an actor of
// 100,000 bytes, or an attribute value of as many digits, made a message
// of 100,000 bytes.
func TestDecodeQuotesEntriesShort(t *testing.T) {
	long := strings.Repeat("a", 100_000)
	// Two values of the same 100,000 digits, one of them shifted.
	many := decimal.RequireFromString(strings.Repeat("7", 100_000))
	tab := New(time.UTC)
	var log versionLog
	log.apply(t, tab, Input{ID: "1", Kind: "call", Time: t0, Actor: long + "b", Attrs: map[string]any{
		"text": long + "c", "n": many}})
	log.apply(t, tab, Input{ID: "2", Kind: "call", Time: t0, Actor: long + "d", Attrs: map[string]any{
		"text": long + "e", "n": many.Shift(1)}})
	snap := snapshotBytes(t, tab)
	if _, err := Decode(NewReader(bytes.NewReader(snap)), time.UTC, log.versions); err != nil {
		t.Fatalf("the snapshot as written: %v", err)
	}
	clip := `"` + strings.Repeat("a", 64) + `…"`
	for _, c := range []struct {
		from, to []byte
		want     string
	}{
		{[]byte(long + "d"), []byte(long + "b"), "corrupt in the dictionary of actors: " + clip + " twice"},
		{[]byte(long + "d"), []byte(long + "\x01"), "corrupt in the dictionary of actors: the entry " + clip + " has a control character (U+0001)"},
		{[]byte(long + "e"), []byte(long + "c"), `corrupt in the values of attribute "text": the value ` + clip + " twice"},
		{valueBytes(many, 1), valueBytes(many, 0), `corrupt in the values of attribute "n": the value 7.777777777777777…e99999 twice`},
	} {
		data := bytes.Clone(snap)
		i := bytes.Index(data, c.from)
		if i < 0 {
			t.Fatalf("%.10q… is not in the snapshot", c.from)
		}
		copy(data[i:], c.to)
		_, err := Decode(NewReader(bytes.NewReader(data)), time.UTC, log.versions)
		if err == nil || err.Error() != c.want {
			t.Errorf("%.10q… made %.10q…: %.300v, want %s", c.from, c.to, err, c.want)
		}
	}
}

// valueBytes is d shifted by places as a snapshot writes an attribute value.
func valueBytes(d decimal.Decimal, places int32) []byte {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	writeValue(w, d.Shift(places))
	if err := w.Flush(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

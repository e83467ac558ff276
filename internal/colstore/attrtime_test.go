package colstore

import (
	"testing"
	"time"
)

// Time attribute values are told apart by their instants, also those
// outside the years whose nanoseconds fit an int64 (an attribute's time is
// not bounded as an event's is): two instants 2^64 nanoseconds apart are
// two values.
func TestTimeAttrsFarApart(t *testing.T) {
	far := time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC)
	// 2^64 ns earlier, in two steps (a Duration holds at most 2^63-1).
	near := far.Add(-(1<<63 - 1)).Add(-(1<<63 - 1)).Add(-2)
	if far.Sub(near) != time.Duration(1<<63-1) || far.UnixNano() != near.UnixNano() {
		t.Fatalf("the two instants are not 2^64 ns apart: %v %v", far, near)
	}
	tab := New(time.UTC)
	apply(t, tab, Input{ID: "1", Kind: "deal", Time: t0, Actor: "a", Attrs: map[string]any{"until": far}})
	apply(t, tab, Input{ID: "2", Kind: "deal", Time: t0, Actor: "a", Attrs: map[string]any{"until": near}})
	for id, want := range map[string]time.Time{"1": far, "2": near} {
		seg, row, _ := tab.Lookup(id)
		var r Row
		tab.Read(seg, row, &r)
		if got, _ := r.Attrs["until"].(time.Time); !got.Equal(want) {
			t.Errorf("%s: until %v, want %v", id, r.Attrs["until"], want)
		}
	}
}

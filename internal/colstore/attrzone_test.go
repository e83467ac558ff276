package colstore

import (
	"bytes"
	"math"
	"strconv"
	"testing"
	"time"
)

// A time attribute at an offset past a day (a zone no place has, which
// an event's checks take) reads back from a snapshot of the table as it
// was applied: the snapshot refused it as corrupt, so a tracker holding
// one wrote a snapshot it could not restore. An offset past 32 bits is
// refused when applied, naming it.
func TestTimeAttributeOffsetsSnapshot(t *testing.T) {
	tab := New(time.UTC)
	var log versionLog
	offs := []int{26 * 3600, -90000, 86401, math.MaxInt32, math.MinInt32 + 1}
	for i, off := range offs {
		at := time.Date(2025, 3, 1, 12, 0, 0, 7, time.FixedZone("odd", off))
		if err := tab.Apply(&Input{ID: strconv.Itoa(i), Kind: "deal", Time: t0, Actor: "a", Attrs: map[string]any{"at": at}}); err != nil {
			t.Fatalf("offset %d: %v", off, err)
		}
		log.segs, log.ids = append(log.segs, 0), append(log.ids, "")
	}
	var snap bytes.Buffer
	w := NewWriter(&snap)
	tab.Freeze().Encode(w)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	got, err := Decode(NewReader(&snap), time.UTC, log.versions)
	if err != nil {
		t.Fatal(err)
	}
	var r Row
	for i, off := range offs {
		got.Read(got.Segs[0], i, &r)
		at := r.Attrs["at"].(time.Time)
		want := time.Date(2025, 3, 1, 12, 0, 0, 7, time.FixedZone("odd", off))
		if _, o := at.Zone(); !at.Equal(want) || o != off {
			t.Errorf("offset %d: read back %v (offset %d), want %v", off, at, o, want)
		}
	}
	if strconv.IntSize == 64 {
		off := int64(math.MaxInt32) + 1 // an int of 64 bits holds it
		at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.FixedZone("far", int(off)))
		err := tab.Apply(&Input{ID: "far", Kind: "deal", Time: t0, Actor: "a", Attrs: map[string]any{"at": at}})
		if want := `event "far": attribute "at": a time at offset 2147483648 s, outside ±2147483647 s`; err == nil || err.Error() != want {
			t.Fatalf("offset 2^31: %v, want %s", err, want)
		}
	}
}

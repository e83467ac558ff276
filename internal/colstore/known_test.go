package colstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// A version known at the unix epoch itself is known from then on, not
// always: its known instant is 0 nanoseconds, which must not read back as
// the zero time of a version known always.
func TestKnownAtTheEpoch(t *testing.T) {
	epoch := time.Unix(0, 0).UTC()
	tab := New(time.UTC)
	var log versionLog
	log.apply(t, tab, Input{ID: "1", Kind: "deal", Time: t0, Actor: "a", Known: epoch})
	log.apply(t, tab, Input{ID: "2", Kind: "deal", Time: t0, Actor: "a"})
	log.apply(t, tab, Input{ID: "3", Kind: "deal", Time: t0, Actor: "a", Known: epoch.Add(-time.Nanosecond)})
	for _, c := range []struct {
		id   string
		want time.Time
	}{{"1", epoch}, {"2", time.Time{}}, {"3", epoch.Add(-time.Nanosecond)}} {
		seg, row, _ := tab.Lookup(c.id)
		if got := seg.Known(row); !got.Equal(c.want) || got.IsZero() != c.want.IsZero() {
			t.Errorf("%s: known %v, want %v", c.id, got, c.want)
		}
		var r Row
		tab.Read(seg, row, &r)
		if !r.Known.Equal(c.want) || r.Known.IsZero() != c.want.IsZero() {
			t.Errorf("%s: read known %v, want %v", c.id, r.Known, c.want)
		}
	}
	// The encoded table keeps it too.
	back := encodeDecode(t, tab, &log)
	seg, row, _ := back.Lookup("1")
	if got := seg.Known(row); !got.Equal(epoch) || got.IsZero() {
		t.Errorf("decoded: known %v, want %v", got, epoch)
	}
}

// encodeDecode encodes tab and decodes it, in UTC, with the versions of log.
func encodeDecode(t *testing.T, tab *Table, log *versionLog) *Table {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	tab.Freeze().Encode(w)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	back, err := Decode(NewReader(&buf), time.UTC, log.versions)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

// A known instant reads back in UTC whatever the machine's zone: on a
// machine in a zone whose offset has seconds (a local mean time), RFC 3339,
// in which encoding/json writes a time, would cut the offset to the minute
// and write another instant. Each is written to JSON and read back.
func TestKnownReadsBackInUTC(t *testing.T) {
	local := time.Local
	time.Local = time.FixedZone("LMT", 2*3600+30*60+17)
	t.Cleanup(func() { time.Local = local })
	tab := New(time.UTC)
	var log versionLog
	at := []time.Time{
		time.Date(2025, 3, 31, 22, 30, 0, 0, time.UTC),
		time.Unix(0, 0).UTC(),
		time.Date(1969, 12, 31, 23, 59, 59, 999, time.UTC),
	}
	for i, k := range at {
		log.apply(t, tab, Input{ID: fmt.Sprint("e", i), Kind: "deal", Time: t0, Actor: "a", Known: k})
	}
	for i, k := range at {
		seg, row, _ := tab.Lookup(fmt.Sprint("e", i))
		var r Row
		tab.Read(seg, row, &r)
		for _, got := range []time.Time{seg.Known(row), r.Known} {
			b, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			var back time.Time
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if got.Location() != time.UTC || !back.Equal(k) {
				t.Errorf("known %s is %s in %s, written %s", k, got, got.Location(), b)
			}
		}
	}
}

package colstore

import (
	"fmt"
	"testing"
	"time"
	"unsafe"

	"github.com/shopspring/decimal"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func amount(s string) decimal.NullDecimal {
	return decimal.NewNullDecimal(decimal.RequireFromString(s))
}

func apply(t *testing.T, tab *Table, in Input) {
	t.Helper()
	if err := tab.Apply(&in); err != nil {
		t.Fatal(err)
	}
}

func TestIDsNumericAndNot(t *testing.T) {
	tab := New(time.UTC)
	// "12" is addressed directly; "012", "12a" and a number too large go
	// through the hash index: they are all different events.
	for _, id := range []string{"12", "012", "12a", "99999999999999999999", "0"} {
		apply(t, tab, Input{ID: id, Kind: "call", Time: t0, Actor: "a"})
	}
	apply(t, tab, Input{ID: "12", Kind: "meeting", Time: t0, Actor: "b"}) // a correction
	apply(t, tab, Input{ID: "0", Deleted: true})
	if tab.Live() != 4 || tab.Dead() != 2 {
		t.Fatalf("live %d dead %d, want 4 and 2", tab.Live(), tab.Dead())
	}
	seg, row, ok := tab.Lookup("12")
	if !ok || seg.Kind != "meeting" || !seg.Alive(row) {
		t.Fatalf("12: %v %v", seg, ok)
	}
	if seg, row, ok := tab.Lookup("0"); !ok || seg.Alive(row) || !seg.Retracted(row) {
		t.Fatal("0 should be a retracted row")
	}
	if _, _, ok := tab.Lookup("13"); ok {
		t.Fatal("13 was never applied")
	}
}

func TestAmountsRescaleAndOverflow(t *testing.T) {
	tab := New(time.UTC)
	want := map[string]string{
		"a": "1.5", "b": "1.12345", "c": "92233720368547758.07", "d": "-0.000000001", "e": "1e30", "f": "0.0000000000001",
	}
	for _, id := range []string{"a", "b", "c", "d", "e", "f"} {
		apply(t, tab, Input{ID: id, Kind: "deal", Time: t0, Actor: "x", Amount: amount(want[id])})
	}
	for id, w := range want {
		seg, row, _ := tab.Lookup(id)
		got, ok := seg.AmountOf(row, tab.Scale)
		if !ok || !got.Equal(decimal.RequireFromString(w)) {
			t.Errorf("amount of %s = %s, want %s", id, got, w)
		}
	}
	if tab.Scale != MaxScale {
		t.Errorf("scale %d, want %d after an amount with 9 places", tab.Scale, MaxScale)
	}
}

func TestGrowKeepsEveryRow(t *testing.T) {
	tab := New(time.UTC)
	const n = 40_000
	tab.Grow(n)
	kinds := []string{"a", "b", "c"}
	for i := range n {
		apply(t, tab, Input{ID: fmt.Sprint(i), Kind: kinds[i%3], Time: t0.Add(time.Duration(i) * time.Minute), Actor: "x",
			Attrs: map[string]any{"n": int64(i % 300)}})
	}
	apply(t, tab, Input{ID: "7", Kind: "c", Time: t0, Actor: "y"})
	total := 0
	for _, s := range tab.Segs {
		total += s.N
		if len(s.Day) != s.N || len(s.TS) != s.N || len(s.Actor) != s.N {
			t.Fatalf("segment %s: columns of %d, %d, %d rows for %d", s.Kind, len(s.Day), len(s.TS), len(s.Actor), s.N)
		}
	}
	if total != n+1 || tab.Live() != n {
		t.Fatalf("%d rows, %d live", total, tab.Live())
	}
	seg, row, _ := tab.Lookup("39999")
	var r Row
	tab.Read(seg, row, &r)
	if r.ID != "39999" || r.Attrs["n"] != int64(39999%300) || !r.Time.Equal(t0.Add(39999*time.Minute)) {
		t.Fatalf("row 39999 reads back as %+v", r)
	}
}

func TestInvalidInputChangesNothing(t *testing.T) {
	tab := New(time.UTC)
	apply(t, tab, Input{ID: "1", Kind: "call", Time: t0, Actor: "a"})
	for _, in := range []Input{
		{ID: "", Kind: "call", Time: t0},
		{ID: "1", Kind: "", Time: t0},
		{ID: "1", Kind: "call"},
		{ID: "1", Kind: "meeting", Time: t0, Attrs: map[string]any{"x": 1.5}},
		{ID: "1", Kind: "meeting", Time: t0, Attrs: map[string]any{"": "v"}},
		{ID: "1\n", Kind: "call", Time: t0},
		{ID: "1", Kind: "meet\x1bing", Time: t0},
		{ID: "1", Kind: "call", Time: t0, Actor: "\x1b[2J"},
		{ID: "1", Kind: "call", Time: t0, Actor: "a", Currency: "RU\x00"},
		{ID: "1", Kind: "call", Time: t0, Actor: "a\xff"},
		{ID: "1", Kind: "call", Time: t0, Attrs: map[string]any{"so\u009burce": "v"}},
	} {
		if err := tab.Apply(&in); err == nil {
			t.Fatalf("%+v was accepted", in)
		}
	}
	if seg, row, ok := tab.Lookup("1"); !ok || seg.Kind != "call" || !seg.Alive(row) || tab.Live() != 1 || tab.Dead() != 0 {
		t.Fatal("a refused correction changed the table")
	}
}

// An identifier that is refused is not remembered: the same actor is
// refused again, and the next new kind gets a segment of its own.
func TestRefusedIdentifiersAreNotKept(t *testing.T) {
	tab := New(time.UTC)
	for range 2 {
		in := Input{ID: "1", Kind: "call", Time: t0, Actor: "\x1b[2J"}
		if err := tab.Apply(&in); err == nil || err.Error() != `event "1": actor "\x1b[2J" has a control character (U+001B)` {
			t.Fatalf("Apply: %v", err)
		}
		in = Input{ID: "5", Kind: "visit", Time: t0, Actor: "\x1b[2J"}
		if err := tab.Apply(&in); err == nil {
			t.Fatal("a new kind with a bad actor was accepted")
		}
		in = Input{ID: "2", Kind: "bad\tkind", Time: t0, Actor: "a"}
		if err := tab.Apply(&in); err == nil || err.Error() != `event "2": kind "bad\tkind" has a control character (U+0009)` {
			t.Fatalf("Apply: %v", err)
		}
	}
	apply(t, tab, Input{ID: "3", Kind: "call", Time: t0, Actor: "a"})
	apply(t, tab, Input{ID: "4", Kind: "meeting", Time: t0, Actor: "b"})
	apply(t, tab, Input{ID: "6", Kind: "visit", Time: t0, Actor: "b"})
	for id, kind := range map[string]string{"3": "call", "4": "meeting", "6": "visit"} {
		if seg, row, ok := tab.Lookup(id); !ok || seg.Kind != kind || !seg.Alive(row) {
			t.Fatalf("event %s is not a live %s", id, kind)
		}
	}
	if tab.Live() != 3 {
		t.Fatalf("%d live events, want 3", tab.Live())
	}
}

// TestDeadRowsKeepTheirDay: a replaced or retracted row keeps its local date
// in the table's zone (derived from its instant, not kept beside it), also
// when the zone's date differs from UTC's; only a retracted row is
// Retracted. TestEncodeDecode checks the same after a decode.
func TestDeadRowsKeepTheirDay(t *testing.T) {
	msk, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	tab := New(msk)
	late := time.Date(2025, 3, 1, 22, 30, 0, 0, time.UTC) // 2 March in Moscow
	apply(t, tab, Input{ID: "1", Kind: "call", Time: late, Actor: "a"})
	apply(t, tab, Input{ID: "1", Kind: "call", Time: t0, Actor: "a"}) // replaces the first
	apply(t, tab, Input{ID: "2", Kind: "call", Time: late.Add(-24 * time.Hour), Actor: "a"})
	apply(t, tab, Input{ID: "2", Deleted: true})
	apply(t, tab, Input{ID: "2", Deleted: true}) // again: nothing changes
	seg := tab.Segment("call")
	want := []struct {
		day              string
		alive, retracted bool
	}{{"2025-03-02", false, false}, {"2025-03-01", true, false}, {"2025-03-01", false, true}}
	check := func(what string, seg *Segment) {
		t.Helper()
		for i, w := range want {
			if got := seg.LocalDay(i).String(); got != w.day || seg.Alive(i) != w.alive || seg.Retracted(i) != w.retracted {
				t.Errorf("%s: row %d: day %s alive %v retracted %v, want %+v", what, i, got, seg.Alive(i), seg.Retracted(i), w)
			}
		}
	}
	check("applied", seg)
	if tab.Live() != 1 || tab.Dead() != 2 {
		t.Fatalf("live %d dead %d, want 1 and 2", tab.Live(), tab.Dead())
	}
}

// TestInputStartsWithAVersion: an Input's first fields are a Version's, at
// the same offsets, which is what Input.version reads.
func TestInputStartsWithAVersion(t *testing.T) {
	var in Input
	var v Version
	if unsafe.Sizeof(v) > unsafe.Offsetof(in.AttrList) {
		t.Fatalf("a Version is %d bytes, an Input's fields past it start at %d", unsafe.Sizeof(v), unsafe.Offsetof(in.AttrList))
	}
	for _, f := range []struct {
		name     string
		got, off uintptr
	}{
		{"ID", unsafe.Offsetof(in.ID), unsafe.Offsetof(v.ID)},
		{"Kind", unsafe.Offsetof(in.Kind), unsafe.Offsetof(v.Kind)},
		{"Time", unsafe.Offsetof(in.Time), unsafe.Offsetof(v.Time)},
		{"Actor", unsafe.Offsetof(in.Actor), unsafe.Offsetof(v.Actor)},
		{"Amount", unsafe.Offsetof(in.Amount), unsafe.Offsetof(v.Amount)},
		{"Currency", unsafe.Offsetof(in.Currency), unsafe.Offsetof(v.Currency)},
		{"Attrs", unsafe.Offsetof(in.Attrs), unsafe.Offsetof(v.Attrs)},
		{"Deleted", unsafe.Offsetof(in.Deleted), unsafe.Offsetof(v.Deleted)},
		{"Known", unsafe.Offsetof(in.Known), unsafe.Offsetof(v.Known)},
	} {
		if f.got != f.off {
			t.Errorf("Input.%s is at %d, Version.%s at %d", f.name, f.got, f.name, f.off)
		}
	}
	in = Input{ID: "7", Kind: "call", Time: time.Unix(5, 0), Actor: "a", Amount: decimal.NewNullDecimal(decimal.New(3, -1)),
		Currency: "EUR", Attrs: map[string]any{"s": "x"}, Deleted: true, Known: time.Unix(9, 0), AttrVals: []any{"y"}}
	got := *in.version()
	want := Version{ID: in.ID, Kind: in.Kind, Time: in.Time, Actor: in.Actor, Amount: in.Amount, Currency: in.Currency, Attrs: in.Attrs, Deleted: in.Deleted, Known: in.Known}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("version() = %+v, want %+v", got, want)
	}
}

// A size hint is a hint: Grow of 2^30 or more (or of a count gone negative) makes
// room for at most maxGrow events, in a table and in a chunk (whose log of
// versions Grow sizes at once), and the events still go in. Before the cap
// a chunk asked at once for a terabyte for its log, and the first id that
// is not a number for 16 TiB of index.
func TestGrowHintIsCapped(t *testing.T) {
	for _, huge := range []int{1 << 30, int(^uint(0) >> 1), -5} { // 2^30: past the cap, and an int on 32-bit platforms too
		for _, mk := range []struct {
			name string
			new  func(*time.Location) *Table
		}{{"table", New}, {"chunk", NewChunk}} {
			t.Run(fmt.Sprintf("%s/%d", mk.name, huge), func(t *testing.T) {
				tab := mk.new(time.UTC)
				apply(t, tab, Input{ID: "1", Kind: "call", Time: t0, Actor: "a"})
				tab.Grow(huge)
				if got := tab.expect - tab.rows; got < 0 || got > maxGrow {
					t.Fatalf("Grow(%d) expects %d more rows, want 0 to %d", huge, got, maxGrow)
				}
				if tab.log != nil && cap(tab.log.order) > maxGrow+1 {
					t.Fatalf("Grow(%d) reserved a log of %d versions", huge, cap(tab.log.order))
				}
				if tab.growIDs > maxGrow+1 {
					t.Fatalf("Grow(%d) asks for an index of %d ids", huge, tab.growIDs)
				}
				// A non-numeric id makes the index Grow asked for.
				apply(t, tab, Input{ID: "x-1", Kind: "call", Time: t0, Actor: "a"})
				apply(t, tab, Input{ID: "x-2", Kind: "meeting", Time: t0, Actor: "b"})
				if tab.Live() != 3 {
					t.Fatalf("%d live events, want 3", tab.Live())
				}
				if seg, row, ok := tab.Lookup("x-2"); tab.log == nil && !ok || tab.log == nil && (seg.Kind != "meeting" || !seg.Alive(row)) {
					t.Fatal("x-2 is not found")
				}
			})
		}
	}
}

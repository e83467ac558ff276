package colstore

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// A chunk costs a few KB before its first version, so that a source cut
// into many one-version parts does not cost 75 KB a part (a chunk was made
// as a table, with a table's 64 KB cache of actors and 8 KB id index).
func TestNewChunkIsSmall(t *testing.T) {
	const n = 200
	keep := make([]*Table, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range keep {
		keep[i] = NewChunk(time.UTC)
	}
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(keep)
	if per := (after.TotalAlloc - before.TotalAlloc) / n; per > 4<<10 {
		t.Errorf("a new chunk costs %d bytes, want at most 4 KB", per)
	}
	// A chunk's id index, never filled, finds no id (Apply with a function
	// to call before a replaced row looks the id up).
	c := keep[0]
	for _, id := range []string{"a", "5"} {
		if _, _, ok := c.Lookup(id); ok {
			t.Errorf("an empty chunk finds id %q", id)
		}
	}
	called := false
	in := Input{ID: "a", Kind: "deal", Time: t0, Actor: "ann"}
	for range 2 {
		if err := c.ApplyReplacing(&in, func(*Segment, int) error { called = true; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if called {
		t.Errorf("a chunk called before with a row it replaced: a chunk replaces none")
	}
}

// A chunk's cache of actors starts empty and grows as its dictionary does:
// thousands of actors, each seen again and again (the same strings, as a
// parser that reuses them gives them), are coded as a table that applies
// the versions in turn codes them.
func TestChunkOfManyActors(t *testing.T) {
	loc := time.FixedZone("MSK", 3*3600)
	actors := make([]string, 3000)
	for i := range actors {
		actors[i] = fmt.Sprint("u", i)
	}
	var ins []Input
	var ids []string
	for round := range 3 {
		for i, a := range actors {
			id := fmt.Sprint("e", round, "-", i)
			ins = append(ins, Input{ID: id, Kind: "deal", Time: t0.Add(time.Duration(i) * time.Minute), Actor: a})
			ids = append(ids, id)
		}
	}
	want := New(loc)
	c := NewChunk(loc)
	for i := range ins {
		if err := want.Apply(&ins[i]); err != nil {
			t.Fatal(err)
		}
		if err := c.Apply(&ins[i]); err != nil {
			t.Fatal(err)
		}
	}
	got := New(loc)
	if err := got.Merge([]*Table{c}, 2); err != nil {
		t.Fatal(err)
	}
	if g, w := dump(got, ids), dump(want, ids); g != w {
		t.Fatalf("merged:\n%.2000s\napplied in turn:\n%.2000s", g, w)
	}
	if n := len(c.actors.cache.e) * 2; n < 8*len(actors) {
		t.Errorf("the chunk's cache of actors holds %d entries for %d actors, want 8 an actor", n, len(actors))
	}
}

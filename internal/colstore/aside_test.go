package colstore

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// copiesAside lowers AsideRows and has at least two cores run goroutines
// for the rest of the test, so that tables that copy aside do.
func copiesAside(t interface{ Cleanup(func()) }, rows int) {
	prevRows, prevProcs := AsideRows, runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0)))
	AsideRows = rows
	t.Cleanup(func() {
		AsideRows = prevRows
		runtime.GOMAXPROCS(prevProcs)
	})
}

// TestCopyAsideKeepsEveryRow applies the same random versions (new events,
// corrections, retractions; ids numbers and not) to a table that copies
// aside and to one that does not: the row each replaces, as the before
// callback reads it (its actor, day and amount, which are not copied
// aside), and, once settled, every row and every id's lookup are the same.
// Run with -race: the table must not read what a copy writes.
func TestCopyAsideKeepsEveryRow(t *testing.T) {
	copiesAside(t, 4)
	rapid.Check(t, func(t *rapid.T) {
		aside, plain := New(time.UTC), New(time.UTC)
		aside.CopyAside(true)
		ids := rapid.IntRange(1, 3000).Draw(t, "ids")
		n := rapid.IntRange(1, 6000).Draw(t, "versions")
		kinds := []string{"a", "b", "c"}
		copies := 0
		for i := range n {
			k := rapid.IntRange(0, ids-1).Draw(t, "id")
			id := fmt.Sprint(k)
			if k%3 == 0 {
				id = fmt.Sprintf("deal-%d", k) // through the hash index
			}
			in := Input{ID: id, Deleted: rapid.IntRange(0, 19).Draw(t, "retract") == 0}
			if !in.Deleted {
				in.Kind = kinds[rapid.IntRange(0, 2).Draw(t, "kind")]
				in.Time = t0.Add(time.Duration(rapid.IntRange(0, 1000).Draw(t, "minute")) * time.Minute)
				in.Actor = fmt.Sprint("u", rapid.IntRange(0, 5).Draw(t, "actor"))
				if rapid.Bool().Draw(t, "amount") {
					in.Amount = amount(fmt.Sprint(i, ".5"))
				}
				in.Attrs = map[string]any{"n": int64(i % 7)}
			}
			var got, want string
			read := func(into *string) func(s *Segment, row int) error {
				return func(s *Segment, row int) error {
					a, _ := s.AmountOf(row, aside.Scale)
					*into = fmt.Sprint(s.Kind, s.Actor[row], s.Day[row], a)
					return nil
				}
			}
			if err := aside.ApplyReplacing(&in, read(&got)); err != nil {
				t.Fatal(err)
			}
			if err := plain.ApplyReplacing(&in, read(&want)); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("version %d (%s) replaces %q, want %q", i, id, got, want)
			}
			if s := aside.Appended(); !in.Deleted {
				// The new row reads back at once, its id and time included.
				if got := s.ID(s.N - 1); got != id || s.TS[s.N-1] != in.Time.UnixNano() {
					t.Fatalf("version %d reads back as %s at %d", i, got, s.TS[s.N-1])
				}
				if s.copying != nil {
					copies++
				}
			}
		}
		aside.Settle()
		sameRows(t, aside, plain)
		for k := range ids {
			for _, id := range []string{fmt.Sprint(k), fmt.Sprintf("deal-%d", k)} {
				as, ar, aok := aside.Lookup(id)
				ps, pr, pok := plain.Lookup(id)
				if aok != pok || aok && (as.Kind != ps.Kind || ar != pr) {
					t.Fatalf("lookup of %s: %v %d %v, want %v %d %v", id, as, ar, aok, ps, pr, pok)
				}
			}
		}
		if n > 200 && copies == 0 {
			t.Fatalf("%d versions and no column copied aside", n)
		}
	})
}

// sameRows fails unless two tables hold the same rows, segment by segment.
func sameRows(t interface{ Fatalf(string, ...any) }, a, b *Table) {
	if len(a.Segs) != len(b.Segs) || a.Live() != b.Live() || a.Dead() != b.Dead() {
		t.Fatalf("%d segments, %d live, %d dead; want %d, %d, %d", len(a.Segs), a.Live(), a.Dead(), len(b.Segs), b.Live(), b.Dead())
	}
	var ra, rb Row
	for si, s := range a.Segs {
		p := b.Segs[si]
		if s.Kind != p.Kind || s.N != p.N || len(s.TS) != s.N || len(s.idEnd) != s.N {
			t.Fatalf("segment %d: %s of %d rows (%d times, %d ids), want %s of %d", si, s.Kind, s.N, len(s.TS), len(s.idEnd), p.Kind, p.N)
		}
		for i := range s.N {
			a.Read(s, i, &ra)
			b.Read(p, i, &rb)
			if fmt.Sprint(ra) != fmt.Sprint(rb) || s.Alive(i) != p.Alive(i) || s.Retracted(i) != p.Retracted(i) {
				t.Fatalf("segment %s row %d: %+v, want %+v", s.Kind, i, ra, rb)
			}
		}
	}
}

// TestCopyAsideOnOneCore checks that a table that copies aside grows as
// push does, with no copy under way, on one core, also after copies on
// two.
func TestCopyAsideOnOneCore(t *testing.T) {
	copiesAside(t, 64)
	tab := New(time.UTC)
	tab.CopyAside(true)
	add := func(from, to int) {
		for i := from; i < to; i++ {
			apply(t, tab, Input{ID: fmt.Sprint(i), Kind: "a", Time: t0, Actor: "x"})
		}
	}
	add(0, 5000)
	if tab.Segs[0].copying == nil {
		t.Fatal("no copy aside on two cores")
	}
	runtime.GOMAXPROCS(1)
	add(5000, 20000)
	if tab.Segs[0].copying != nil {
		t.Fatal("a copy aside on one core")
	}
	plain := New(time.UTC)
	for i := range 20000 {
		apply(t, plain, Input{ID: fmt.Sprint(i), Kind: "a", Time: t0, Actor: "x"})
	}
	sameRows(t, tab, plain)
}

// BenchmarkApplyGrowing appends 2,000,000 versions of one kind to a new
// table row by row (a live tracker's growth, without a tracker's other
// work), copying aside or not (sub-benchmarks): with two cores, the copies
// of the growing times and ids go to another goroutine.
func BenchmarkApplyGrowing(b *testing.B) {
	const n = 2_000_000
	ins := make([]Input, n)
	for i := range ins {
		ins[i] = Input{ID: fmt.Sprint(i), Kind: "call", Time: t0.Add(time.Duration(i) * time.Second), Actor: "u1"}
	}
	for _, aside := range []bool{false, true} {
		b.Run(fmt.Sprintf("aside=%v", aside), func(b *testing.B) {
			for b.Loop() {
				tab := New(time.UTC)
				tab.CopyAside(aside)
				for i := range ins {
					if err := tab.Apply(&ins[i]); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

package colstore

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestApplyReplacingCallsBeforeWithTheLiveRow checks that ApplyReplacing
// calls before once with the live row a correction or a retraction
// replaces, never for a new id, a dead row or a refused version, and that
// an error from before leaves the rows as they were.
func TestApplyReplacingCallsBeforeWithTheLiveRow(t *testing.T) {
	for _, id := range []string{"7", "deal-7"} { // numeric and hashed ids
		t.Run(id, func(t *testing.T) {
			tab := New(time.UTC)
			var got []string
			before := func(s *Segment, row int) error {
				got = append(got, fmt.Sprintf("%s/%d/%s", s.Kind, row, s.ID(row)))
				return nil
			}
			step := func(in Input, want ...string) {
				t.Helper()
				got = nil
				if err := tab.ApplyReplacing(&in, before); err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("%+v: before saw %v, want %v", in, got, want)
				}
			}
			step(Input{ID: id, Kind: "call", Time: t0, Actor: "a"})
			step(Input{ID: id, Kind: "meeting", Time: t0, Actor: "a"}, "call/0/"+id)
			step(Input{ID: id, Kind: "meeting", Time: t0, Actor: "b"}, "meeting/0/"+id)
			step(Input{ID: id, Deleted: true}, "meeting/1/"+id)
			step(Input{ID: id, Deleted: true}) // dead already
			step(Input{ID: id, Kind: "call", Time: t0, Actor: "a"})

			// A refused version does not call before; an error from before
			// is returned with the rows unchanged.
			got = nil
			if err := tab.ApplyReplacing(&Input{ID: id, Kind: "call", Actor: "a"}, before); err == nil || got != nil {
				t.Fatalf("a version without a time: %v, before saw %v", err, got)
			}
			live, dead, rows := tab.Live(), tab.Dead(), tab.Segment("call").N
			stop := errors.New("stop")
			for _, in := range []Input{{ID: id, Kind: "call", Time: t0, Actor: "c"}, {ID: id, Deleted: true}} {
				err := tab.ApplyReplacing(&in, func(*Segment, int) error { return stop })
				if !errors.Is(err, stop) {
					t.Fatalf("%+v: %v, want the error of before", in, err)
				}
				if tab.Live() != live || tab.Dead() != dead || tab.Segment("call").N != rows {
					t.Fatalf("%+v: live %d dead %d rows %d after before failed, want %d %d %d",
						in, tab.Live(), tab.Dead(), tab.Segment("call").N, live, dead, rows)
				}
				if s, row, ok := tab.Lookup(id); !ok || !s.Alive(row) || s.Actor[row] != 1 {
					t.Fatalf("%+v: the live row changed after before failed", in)
				}
			}
		})
	}
}

// TestAttrValsAsAttrs checks that attributes given by index (AttrVals)
// are kept as the same attributes given in a map.
func TestAttrValsAsAttrs(t *testing.T) {
	names := []string{"source", "pipeline", "region"}
	values := []any{"web", "partner", int64(3), true, "x"}
	rapid.Check(t, func(t *rapid.T) {
		byMap, byIndex := New(time.UTC), New(time.UTC)
		// Both tables learn the names in the same order.
		for _, tab := range []*Table{byMap, byIndex} {
			attrs := map[string]any{}
			for _, n := range names {
				attrs[n] = "seed"
			}
			for i, n := range names {
				in := Input{ID: fmt.Sprint(i + 1), Kind: "call", Time: t0, Actor: "a", Attrs: map[string]any{n: attrs[n]}}
				if err := tab.Apply(&in); err != nil {
					t.Fatal(err)
				}
			}
		}
		n := rapid.IntRange(1, 30).Draw(t, "events")
		for i := range n {
			attrs := map[string]any{}
			vals := make([]any, len(names))
			for k, name := range names {
				if rapid.Bool().Draw(t, fmt.Sprintf("has %d %s", i, name)) {
					v := values[rapid.IntRange(0, len(values)-1).Draw(t, fmt.Sprintf("value %d %s", i, name))]
					attrs[name], vals[k] = v, v
				}
			}
			id := fmt.Sprint(10 + rapid.IntRange(0, 5).Draw(t, fmt.Sprintf("id %d", i)))
			a := Input{ID: id, Kind: "call", Time: t0, Actor: "a", Attrs: attrs}
			b := Input{ID: id, Kind: "call", Time: t0, Actor: "a", AttrVals: vals}
			if err := byMap.Apply(&a); err != nil {
				t.Fatal(err)
			}
			if err := byIndex.Apply(&b); err != nil {
				t.Fatal(err)
			}
		}
		sa, sb := byMap.Segment("call"), byIndex.Segment("call")
		var ra, rb Row
		for row := range sa.N {
			byMap.Read(sa, row, &ra)
			byIndex.Read(sb, row, &rb)
			if fmt.Sprint(ra) != fmt.Sprint(rb) || sa.Alive(row) != sb.Alive(row) {
				t.Fatalf("row %d: %v by map, %v by index", row, ra, rb)
			}
		}
	})
	tab := New(time.UTC)
	if err := tab.Apply(&Input{ID: "1", Kind: "call", Time: t0, Actor: "a", AttrVals: []any{"web"}}); err == nil {
		t.Fatal("values for names the table does not know: no error")
	}
}

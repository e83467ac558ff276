package colstore

import (
	"strconv"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestRetractedMatchesModel: over segments of hundreds of rows (past a
// word of the rows' bits), a row is Retracted exactly when the version it
// holds was the live one of its id when a retraction of that id came; a
// row a correction replaced, a live row, and a row whose retraction came
// after it was replaced are not. The model is a plain list of the rows'
// ids and states, written in the test.
func TestRetractedMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tab := New(time.UTC)
		kinds := []string{"call", "deal"}
		type row struct{ retracted bool }
		rows := map[string][]row{}  // by kind: the rows in order
		live := map[string][2]int{} // by id: kind index and row of its live version
		n := rapid.IntRange(1, 600).Draw(t, "versions")
		for i := range n {
			id := strconv.Itoa(rapid.IntRange(1, 200).Draw(t, "id"))
			if rapid.IntRange(0, 3).Draw(t, "op") == 0 {
				if err := tab.Apply(&Input{ID: id, Deleted: true}); err != nil {
					t.Fatalf("version %d: %v", i, err)
				}
				if at, ok := live[id]; ok {
					rows[kinds[at[0]]][at[1]].retracted = true
					delete(live, id)
				}
				continue
			}
			k := rapid.IntRange(0, len(kinds)-1).Draw(t, "kind")
			if err := tab.Apply(&Input{ID: id, Kind: kinds[k], Time: t0, Actor: "a"}); err != nil {
				t.Fatalf("version %d: %v", i, err)
			}
			live[id] = [2]int{k, len(rows[kinds[k]])}
			rows[kinds[k]] = append(rows[kinds[k]], row{})
		}
		for _, kind := range kinds {
			want := rows[kind]
			seg := tab.Segment(kind)
			if seg == nil {
				if len(want) > 0 {
					t.Fatalf("no segment of %s, want %d rows", kind, len(want))
				}
				continue
			}
			if seg.N != len(want) {
				t.Fatalf("%s: %d rows, want %d", kind, seg.N, len(want))
			}
			for i, w := range want {
				if got := seg.Retracted(i); got != w.retracted {
					t.Fatalf("%s row %d (id %s): Retracted %v, want %v", kind, i, seg.ID(i), got, w.retracted)
				}
			}
		}
	})
}

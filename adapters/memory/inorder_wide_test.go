package memory_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// genWide draws event versions whose attribute columns take the forms
// genMixed leaves out: an attribute of hundreds of distinct values (codes
// past a byte, so that a worker's chunk, its blocks and the table widen
// their columns at different rows), an attribute set in few rows (a
// sparse column) or in most, attribute names that first appear late
// (names the later parts bring), and kinds that first appear late (the
// segments of later blocks). Ids repeat across the whole stream, so that
// corrections and retractions reach versions of earlier parts.
func genWide(t *rapid.T, ids []string) []kpi.Event {
	n := rapid.IntRange(0, 1200).Draw(t, "n")
	out := make([]kpi.Event, n)
	for i := range out {
		id := rapid.SampledFrom(ids).Draw(t, "id")
		if rapid.IntRange(0, 9).Draw(t, "deleted") == 0 {
			out[i] = kpi.Event{ID: id, Deleted: true}
			continue
		}
		// Kinds and names new to the stream as it goes on.
		kinds := 1 + i*5/max(n, 1)
		e := ev(id, fmt.Sprint("k", rapid.IntRange(0, kinds-1).Draw(t, "kind")), fmt.Sprint("u", rapid.IntRange(0, 300).Draw(t, "actor")),
			t0.Add(time.Duration(rapid.IntRange(0, 3*24*60).Draw(t, "minute"))*time.Minute))
		e.Attrs = map[string]any{}
		if rapid.IntRange(0, 5).Draw(t, "has wide") != 0 {
			e.Attrs["wide"] = int64(rapid.IntRange(0, 2000).Draw(t, "wide"))
		}
		if rapid.IntRange(0, 40).Draw(t, "has rare") == 0 {
			e.Attrs["rare"] = fmt.Sprint("r", rapid.IntRange(0, 400).Draw(t, "rare"))
		}
		if names := i * 6 / max(n, 1); names > 0 && rapid.Bool().Draw(t, "has late") {
			e.Attrs[fmt.Sprint("late", rapid.IntRange(0, names-1).Draw(t, "late name"))] = rapid.Bool().Draw(t, "late")
		}
		out[i] = e
	}
	return out
}

// Into an empty store ImportParallel leaves the table Apply leaves, row
// for row, when the attribute columns widen past a byte, turn sparse and
// dense, and names and kinds first appear in later parts: a block's
// columns are cut from a worker's chunk whose dictionaries have grown
// since its earlier blocks, and stitched after columns of other widths.
func TestImportParallelInOrderWideColumns(t *testing.T) {
	ids := make([]string, 0, 400)
	for i := range 300 {
		ids = append(ids, fmt.Sprint(i+1))
	}
	for i := range 100 {
		ids = append(ids, fmt.Sprint("x", i))
	}
	rapid.Check(t, func(t *rapid.T) {
		versions := genWide(t, ids)
		r := drawRun(t, versions)
		r.rows = rapid.SampledFrom([]int{1, 3, 17, 64, 256}).Draw(t, "wide block rows")
		want := memory.New(time.UTC)
		if err := want.Apply(versions...); err != nil {
			t.Fatal(err)
		}
		got := memory.New(time.UTC)
		if err := r.importParallel(context.Background(), got, versions, func(int, int) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if g, w := memory.Rows(got, ids), memory.Rows(want, ids); !slices.Equal(g, w) {
			for i := range min(len(g), len(w)) {
				if g[i] != w[i] {
					t.Fatalf("ImportParallel leaves, at line %d of %d\n%s\nwhere Apply leaves\n%s", i, len(w), g[i], w[i])
				}
			}
			t.Fatalf("ImportParallel leaves %d lines, Apply %d:\n%s", len(g), len(w), strings.Join(g[min(len(g), len(w)):], "\n"))
		}
	})
}

package cascade_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/org"
	"pgregory.net/rapid"
)

// CheckDirectory's tree issues are what a walk up the parents says, for
// any tree (repeated ids, parents that do not exist, cycles of any length
// and chains that run into a cycle): a unit whose parent the directory
// lacks is an orphan at its place; each cycle is reported once, at the
// place of its smallest id, its units from there up the parents and back;
// a unit below a cycle but not on it, and a repeat of an id, give nothing.
func TestCheckDirectoryTreeByHand(t *testing.T) {
	ids := []string{"a", "b", "c", "d", "e", "f"}
	rapid.Check(t, func(t *rapid.T) {
		var units []org.Unit
		for range rapid.IntRange(1, 9).Draw(t, "units") {
			units = append(units, org.Unit{
				ID:     rapid.SampledFrom(ids).Draw(t, "id"),
				Parent: rapid.SampledFrom(append([]string{"", "zz"}, ids...)).Draw(t, "parent"),
			})
		}
		first := map[string]int{} // the first place of an id: the unit
		for i, u := range units {
			if _, ok := first[u.ID]; !ok {
				first[u.ID] = i
			}
		}
		parent := func(id string) string { return units[first[id]].Parent }
		var want []string
		for id, i := range first {
			p := parent(id)
			if p == "" {
				continue
			}
			if _, ok := first[p]; !ok {
				want = append(want, fmt.Sprintf("directory.units[%d]: %s: unit %s: parent %s does not exist", i, cascade.Orphan, id, p))
				continue
			}
			// On a cycle: the walk up comes back to id within len(first) steps.
			chain := []string{id}
			for u := p; len(chain) <= len(first); u = parent(u) {
				if _, ok := first[u]; !ok || u == "" {
					break
				}
				if u == id {
					if slices.Min(chain) == id {
						want = append(want, fmt.Sprintf("directory.units[%d]: %s: units form a cycle: %s", i, cascade.Cycle, strings.Join(append(chain, id), " → ")))
					}
					break
				}
				chain = append(chain, u)
			}
		}
		var got []string
		for _, p := range cascade.CheckDirectory(units, nil) {
			got = append(got, fmt.Sprintf("%s: %s: %s", p.Path, p.Code, p.Msg))
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("units %v:\n got %q\nwant %q", units, got, want)
		}
	})
}

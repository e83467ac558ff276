package scaleout_test

import (
	"math"
	"math/big"
	"regexp"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/scaleout"
	"pgregory.net/rapid"
)

// canonical is "i/n" as ParseAssignment takes it: decimal digits without
// a sign or a leading zero.
var canonical = regexp.MustCompile(`^(0|[1-9][0-9]*)/(0|[1-9][0-9]*)$`)

// TestAssignmentProp: ParseAssignment takes exactly the text of two
// numbers 0 ≤ i < n as Itoa writes them (read here with big.Int), and the
// workers 0/n to n-1/n own every partition once between them, each worker
// those of its remainder, in order.
func TestAssignmentProp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.StringMatching(`[-+]?[0-9]{0,21}/?[-+]?[0-9]{0,21}(/[0-9])?`).Draw(t, "text")
		a, err := scaleout.ParseAssignment(s)
		want := false
		if m := canonical.FindStringSubmatch(s); m != nil {
			i, _ := new(big.Int).SetString(m[1], 10)
			n, _ := new(big.Int).SetString(m[2], 10)
			// Both fit an int, and i < n.
			limit := big.NewInt(math.MaxInt)
			want = i.Cmp(limit) <= 0 && n.Cmp(limit) <= 0 && i.Cmp(n) < 0
			if want && err == nil && (int64(a.I) != i.Int64() || int64(a.N) != n.Int64()) {
				t.Fatalf("%s: %+v", s, a)
			}
		}
		if (err == nil) != want {
			t.Fatalf("%s: err = %v, want accepted %t", s, err, want)
		}

		n := rapid.IntRange(1, 40).Draw(t, "workers")
		parts := rapid.IntRange(0, 100).Draw(t, "partitions")
		owner := make([]int, parts)
		for p := range owner {
			owner[p] = -1
		}
		for i := range n {
			owned := scaleout.Assignment{I: i, N: n}.Owned(parts)
			if !slices.IsSorted(owned) {
				t.Fatalf("%d/%d owns %v, not in order", i, n, owned)
			}
			for _, p := range owned {
				if p < 0 || p >= parts || p%n != i {
					t.Fatalf("%d/%d owns partition %d of %d", i, n, p, parts)
				}
				if owner[p] != -1 {
					t.Fatalf("%d/%d owns partition %d, which %d/%d owns", i, n, p, owner[p], n)
				}
				owner[p] = i
			}
		}
		if i := slices.Index(owner, -1); i >= 0 {
			t.Fatalf("partition %d of %d is owned by none of %d workers", i, parts, n)
		}
	})
}

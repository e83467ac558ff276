package problem_test

import (
	"cmp"
	"slices"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/problem"
	"pgregory.net/rapid"
)

// pathGen draws paths from the bytes paths are made of, brackets above all
// (closed, unclosed, nested, a "]" alone), indexes of digits and of text.
func pathGen() *rapid.Generator[string] {
	// Few pieces, so that three paths often share a stem.
	piece := rapid.SampledFrom([]string{"x", ".", "[", "]", "9", "10", "[9]", "[10]", "[a]"})
	return rapid.Custom(func(t *rapid.T) string {
		return strings.Join(rapid.SliceOfN(piece, 0, 5).Draw(t, "pieces"), "")
	})
}

// wellFormed reports whether every "[" of p has a "]" after it.
func wellFormed(p string) bool {
	return strings.LastIndexByte(p, '[') < strings.LastIndexByte(p, ']') || !strings.Contains(p, "[")
}

// comparePathsBefore is the order of paths as it was before it was a total
// order: it is unchanged on paths whose every "[" is closed.
func comparePathsBefore(a, b string) int {
	for a != "" && b != "" {
		ia, ib := strings.IndexByte(a, '['), strings.IndexByte(b, '[')
		if ia < 0 || ib < 0 || a[:ia] != b[:ib] {
			return cmp.Compare(a, b)
		}
		a, b = a[ia+1:], b[ib+1:]
		ja, jb := strings.IndexByte(a, ']'), strings.IndexByte(b, ']')
		if ja < 0 || jb < 0 {
			return cmp.Compare(a, b)
		}
		na, nb := a[:ja], b[:jb]
		if c := cmp.Compare(len(na), len(nb)); c != 0 {
			return c
		}
		if c := cmp.Compare(na, nb); c != 0 {
			return c
		}
		a, b = a[ja+1:], b[jb+1:]
	}
	return cmp.Compare(a, b)
}

// ComparePaths is a total order over any strings (0 only for equal ones,
// antisymmetric, transitive), and on paths whose brackets are all closed it
// orders as it always did. x[9, x[10] and x[9] made a cycle.
func TestComparePathsTotalOrder(t *testing.T) {
	sign := func(c int) int { return cmp.Compare(c, 0) }
	rapid.Check(t, func(t *rapid.T) {
		a, b, c := pathGen().Draw(t, "a"), pathGen().Draw(t, "b"), pathGen().Draw(t, "c")
		ab, ba := problem.ComparePaths(a, b), problem.ComparePaths(b, a)
		if (ab == 0) != (a == b) {
			t.Fatalf("ComparePaths(%q, %q) = %d", a, b, ab)
		}
		if sign(ab) != -sign(ba) {
			t.Fatalf("ComparePaths(%q, %q) = %d but ComparePaths(%q, %q) = %d", a, b, ab, b, a, ba)
		}
		bc, ac := problem.ComparePaths(b, c), problem.ComparePaths(a, c)
		if sign(ab) == sign(bc) && sign(ab) != 0 && sign(ac) != sign(ab) {
			t.Fatalf("%q, %q, %q: %d, %d, but %d from the first to the last", a, b, c, ab, bc, ac)
		}
		if wellFormed(a) && wellFormed(b) {
			if old := comparePathsBefore(a, b); sign(old) != sign(ab) {
				t.Fatalf("ComparePaths(%q, %q) = %d, was %d", a, b, ab, old)
			}
		}
	})
}

// The paths of the cycle, and paths whose brackets do not close, sort in
// one order whatever order they came in.
func TestComparePathsUnclosed(t *testing.T) {
	want := []string{"x", "x.a", "x[2]", "x[9]", "x[9].a", "x[10]", "x[10", "x[9", "x[9.a", "x]"}
	for _, in := range [][]string{
		{"x[9", "x[10]", "x[9]", "x[10", "x", "x]", "x.a", "x[9.a", "x[2]", "x[9].a"},
		{"x.a", "x[9].a", "x[9.a", "x]", "x[10", "x[9]", "x[10]", "x[9", "x[2]", "x"},
	} {
		got := slices.Clone(in)
		slices.SortFunc(got, problem.ComparePaths)
		if !slices.Equal(got, want) {
			t.Errorf("sorted %q to %q, want %q", in, got, want)
		}
	}
}

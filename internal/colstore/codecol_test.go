package colstore

import (
	"testing"

	"pgregory.net/rapid"
)

// An attribute column reads back what was put, whichever form (sparse or
// dense, one, two or four bytes a code) it took on the way, and never holds
// more than its bound in bytes.
func TestCodeColPut(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var c codeCol
		ref := map[int]uint32{}
		row := 0
		for range rapid.IntRange(0, 200).Draw(t, "puts") {
			row += rapid.SampledFrom([]int{0, 1, 1, 2, 40, 500}).Draw(t, "gap")
			// Byte-wide codes mostly, as most columns hold, then wider.
			code := rapid.Uint32Range(1, 255).Draw(t, "code")
			if rapid.IntRange(0, 9).Draw(t, "wide") == 0 {
				code = rapid.Uint32Range(1, 70000).Draw(t, "wide code")
			}
			c.put(row, code)
			ref[row] = code
			row++
		}
		if b := c.bytes(); b > 4*sparsifyEvery*max(len(ref), 1) && b > 12*len(ref) {
			t.Fatalf("%d bytes for %d values", b, len(ref))
		}
		table := make([]uint8, 70001)
		for i := range table {
			table[i] = uint8(i%250 + 1)
		}
		out := make([]uint8, row+3)
		c.Lookup(0, row+3, table, out)
		for i := range row + 3 {
			if got := c.Get(i); got != ref[i] {
				t.Fatalf("Get(%d) = %d, want %d", i, got, ref[i])
			}
			if want := table[ref[i]]; out[i] != want {
				t.Fatalf("Lookup row %d = %d, want %d", i, out[i], want)
			}
		}
	})
}

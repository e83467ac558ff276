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

// appendMapped leaves a dense column as append would, code by code: the
// same codes in the same width, whatever the widths of the two columns and
// whether the map holds codes wider than those appended.
func TestAppendMappedIsAppend(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		widths := []uint32{0xff, 0xffff, 70000}
		var got, want codeCol
		for range rapid.IntRange(0, 40).Draw(t, "before") {
			code := rapid.Uint32Range(0, rapid.SampledFrom(widths).Draw(t, "before width")).Draw(t, "code")
			got.append(code)
			want.append(code)
		}
		codes := []uint32{0}
		for range rapid.IntRange(0, 300).Draw(t, "codes") {
			codes = append(codes, rapid.Uint32Range(1, rapid.SampledFrom(widths).Draw(t, "map width")).Draw(t, "to"))
		}
		var from codeCol
		for range rapid.IntRange(0, 400).Draw(t, "rows") {
			from.append(uint32(rapid.IntRange(0, len(codes)-1).Draw(t, "from")))
		}
		for i := range from.n {
			want.append(codes[from.Get(i)])
		}
		got.appendMapped(&from, codes)
		if got.n != want.n || (got.w8 == nil) != (want.w8 == nil) || (got.w16 == nil) != (want.w16 == nil) || (got.w32 == nil) != (want.w32 == nil) {
			t.Fatalf("%d rows, widths 8/16/32 %v/%v/%v; want %d rows, %v/%v/%v", got.n, got.w8 != nil, got.w16 != nil, got.w32 != nil,
				want.n, want.w8 != nil, want.w16 != nil, want.w32 != nil)
		}
		for i := range want.n {
			if got.Get(i) != want.Get(i) {
				t.Fatalf("row %d: %d, want %d", i, got.Get(i), want.Get(i))
			}
		}
	})
}

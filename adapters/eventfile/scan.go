package eventfile

import (
	"encoding/binary"
	"math/bits"
)

// Word-at-a-time byte search (SWAR): eq returns the high bit of every byte
// of w that equals the byte repeated in c, and no other bit.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
	low = 0x7f7f7f7f7f7f7f7f
)

func eq(w, c uint64) uint64 {
	t := w ^ c
	return ^((t&low + low) | t) & msb
}

// fields are the fields of a record: field k is base[ends[k]+1:ends[k+1]],
// ends[0] being the offset just before the first field (-1 when base starts
// with it; a separator byte stands between two fields). Offsets rather than
// slices spare the garbage collector's write barriers on the hot path.
type fields struct {
	base []byte
	ends []int32
	n    int
}

func (f *fields) field(k int) []byte { return f.base[f.ends[k]+1 : f.ends[k+1]] }

// reset empties f for the fields of a record at the start of base.
func (f *fields) reset(base []byte) {
	f.base, f.n = base, 0
	if len(f.ends) == 0 {
		f.ends = make([]int32, 16)
	}
	f.ends[0] = -1
}

// add ends a field at end.
func (f *fields) add(end int) {
	if f.n+1 == len(f.ends) {
		f.ends = append(f.ends, make([]int32, len(f.ends)+8)...)
	}
	f.ends[f.n+1] = int32(end)
	f.n++
}

// splitLineGo splits the line at the start of data, up to its '\n' or the end
// of data, at its commas into f. It returns the index of the '\n' (-1 when
// there is none) and whether the line holds a byte ≥ 0x80. When the line
// holds a quote it stops early and reports it (quoted is true, the other
// results are not to be used): quoted fields are split by splitQuoted.
// Without quotes set the caller knows that data holds no quote, and none
// is looked for.
//
// splitLine is splitLineGo, done with vector instructions where the
// processor has them.
func splitLineGo(data []byte, f *fields, quotes bool) (nl int, high, quoted bool) {
	f.reset(data)
	ends := f.ends
	n := 1 // the next entry of ends
	i := 0
	var hi uint64
	for ; i+8 <= len(data); i += 8 {
		w := binary.LittleEndian.Uint64(data[i:])
		nm, c := eq(w, '\n'*lsb), eq(w, ','*lsb)
		h := w & msb
		below := ^uint64(0)
		if nm != 0 {
			below = uint64(1)<<bits.TrailingZeros64(nm) - 1
			c, h = c&below, h&below
		}
		if quotes && eq(w, '"'*lsb)&below != 0 {
			return -1, false, true
		}
		hi |= h
		for c != 0 {
			if n == len(ends) {
				f.ends = append(ends, make([]int32, len(ends)+8)...)
				ends = f.ends
			}
			ends[n] = int32(i + bits.TrailingZeros64(c)>>3)
			n++
			c &= c - 1
		}
		if nm != 0 {
			f.n = n - 1
			j := i + bits.TrailingZeros64(nm)>>3
			f.add(j)
			return j, hi != 0, false
		}
	}
	f.n = n - 1
	for ; i < len(data); i++ {
		switch c := data[i]; c {
		case ',':
			f.add(i)
		case '\n':
			f.add(i)
			return i, hi != 0, false
		case '"':
			return -1, false, true
		default:
			hi |= uint64(c & 0x80)
		}
	}
	f.add(len(data))
	return -1, hi != 0, false
}

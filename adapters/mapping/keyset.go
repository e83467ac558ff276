package mapping

import (
	"hash/maphash"
	"math"
)

// keySet finds the rows of a load that repeat the key of an earlier row. It
// keeps a 96-bit hash of each key (two hashes of independent seeds) and the
// line of its row in an open-addressing table of 16 bytes a slot: no
// strings, nothing for the garbage collector to scan, one probe sequence
// per row. Two distinct keys share a hash with a probability below 10⁻¹⁷
// in a table of a million rows, and below 10⁻¹¹ in one of a billion.
type keySet struct {
	seeds [2]maphash.Seed
	h1    []uint64 // 0: an empty slot
	h2    []uint32
	line  []uint32 // 0: past the lines a uint32 holds
	n     int
	mask  uint64
}

func newKeySet() *keySet {
	return &keySet{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
}

// add records key, on line line, and returns the line of the earlier row
// with the same key (0 when that line is not known) and whether there is
// one.
func (s *keySet) add(key []byte, line int) (int, bool) {
	if 4*(s.n+1) > 3*len(s.h1) {
		s.grow()
	}
	h1 := maphash.Bytes(s.seeds[0], key) | 1
	h2 := uint32(maphash.Bytes(s.seeds[1], key))
	l := uint32(0)
	if uint64(line) <= math.MaxUint32 {
		l = uint32(line)
	}
	for i := h1 & s.mask; ; i = (i + 1) & s.mask {
		switch s.h1[i] {
		case 0:
			s.h1[i], s.h2[i], s.line[i] = h1, h2, l
			s.n++
			return 0, false
		case h1:
			if s.h2[i] == h2 {
				return int(s.line[i]), true
			}
		}
	}
}

func (s *keySet) grow() {
	h1, h2, line := s.h1, s.h2, s.line
	size := max(1024, 2*len(h1))
	s.h1, s.h2, s.line, s.mask = make([]uint64, size), make([]uint32, size), make([]uint32, size), uint64(size-1)
	for j, h := range h1 {
		if h == 0 {
			continue
		}
		i := h & s.mask
		for s.h1[i] != 0 {
			i = (i + 1) & s.mask
		}
		s.h1[i], s.h2[i], s.line[i] = h, h2[j], line[j]
	}
}

package colstore

import "hash/maphash"

// idIndex maps event ids to rows with open addressing. A slot holds
// (segment+1)<<rowBits | row, 0 when empty. Rows are never removed from the
// index: a replaced or retracted event's slot is pointed at its newest row.
type idIndex struct {
	seed  maphash.Seed
	slots []uint64
	n     int
}

const rowBits = 40

func packRef(seg, row int) uint64   { return uint64(seg+1)<<rowBits | uint64(row) }
func unpackRef(r uint64) (int, int) { return int(r>>rowBits) - 1, int(r & (1<<rowBits - 1)) }

func newIDIndex() idIndex { return idIndex{seed: maphash.MakeSeed(), slots: make([]uint64, 1024)} }

// find returns the slot index where id lives or would be inserted.
func (x *idIndex) find(id string, idOf func(ref uint64) string) (int, bool) {
	mask := uint64(len(x.slots) - 1)
	i := maphash.String(x.seed, id) & mask
	for {
		r := x.slots[i]
		if r == 0 {
			return int(i), false
		}
		if idOf(r) == id {
			return int(i), true
		}
		i = (i + 1) & mask
	}
}

func (x *idIndex) set(slot int, ref uint64, isNew bool, idOf func(uint64) string) {
	x.slots[slot] = ref
	if !isNew {
		return
	}
	x.n++
	if x.n*4 > len(x.slots)*3 {
		x.rehash(idOf)
	}
}

func (x *idIndex) rehash(idOf func(uint64) string) {
	old := x.slots
	x.slots = make([]uint64, len(old)*2)
	mask := uint64(len(x.slots) - 1)
	for _, r := range old {
		if r == 0 {
			continue
		}
		i := maphash.String(x.seed, idOf(r)) & mask
		for x.slots[i] != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = r
	}
}

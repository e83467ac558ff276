package colstore

import "hash/maphash"

// idIndex maps event ids to rows with open addressing. A slot holds an 8-bit
// tag of the id's hash, the segment and the row:
// tag<<56 | (segment+1)<<rowBits | row, and 0 when empty. Probes compare tags
// first, so an id is read back only when its tag matches. Rows are never
// removed from the index: a replaced or retracted event's slot is pointed at
// its newest row.
type idIndex struct {
	seed  maphash.Seed
	slots []uint64
	n     int
	// Ids that are canonical decimal numbers below maxPaged (CRM record ids,
	// mostly) are addressed directly, page by page: sequential ids then touch
	// memory sequentially instead of at random.
	pages map[uint64]*idPage
	// the page used last: ids mostly come in runs
	lastKey  uint64
	lastPage *idPage
}

const (
	pageBits = 12
	maxPaged = 1 << 40
)

type idPage [1 << pageBits]uint64

// numericID returns the number a canonical decimal id stands for: one to
// thirteen digits, no leading zero, below maxPaged.
func numericID(id string) (uint64, bool) {
	n := len(id)
	if n < 4 || n > 8 {
		return numericIDLoop(id)
	}
	// Four to eight bytes (most record ids): read at once, the first four
	// and the last four (the same bytes where they overlap) put at the
	// top of a word led by '0's, then checked and converted eight digits
	// at a time.
	lo := uint64(id[0]) | uint64(id[1])<<8 | uint64(id[2])<<16 | uint64(id[3])<<24
	hi := uint64(id[n-4]) | uint64(id[n-3])<<8 | uint64(id[n-2])<<16 | uint64(id[n-1])<<24
	x := lo<<(8*(8-n)&63) | hi<<32 | zeros[n&7]
	// Every byte 0x30-0x39: its high half 3, and its low half plus 6 not
	// past 0xf (no carry leaves a byte: 0x3f+6 < 0x100).
	if x&0xf0f0f0f0f0f0f0f0 != 0x3030303030303030 || (x+0x0606060606060606)&0xf0f0f0f0f0f0f0f0 != 0x3030303030303030 || id[0] == '0' {
		return 0, false
	}
	// The first digit is the lowest byte: pairs, then fours, then eight.
	x -= 0x3030303030303030
	x = (x*10 + x>>8) & 0x00ff00ff00ff00ff
	x = (x*100 + x>>16) & 0x0000ffff0000ffff
	x = (x*10000 + x>>32) & 0xffffffff
	return x, true // below 10^8 < maxPaged
}

// IDNumber returns the number a canonical decimal id stands for (one to
// thirteen digits, no leading zero, below 2^40), the way the table's index
// addresses it; such an id is an identifier (see Codes.ID).
func IDNumber(id string) (uint64, bool) { return numericID(id) }

// zeros[n&7] is the '0's that lead n digits (4 to 8) to eight.
var zeros = [8]uint64{0, 0, 0, 0, 0x30303030, 0x303030, 0x3030, 0x30}

// numericIDLoop is numericID digit by digit.
func numericIDLoop(id string) (uint64, bool) {
	if len(id) == 0 || len(id) > 13 || (id[0] == '0' && len(id) > 1) {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(id); i++ {
		c := id[i] - '0'
		if c > 9 {
			return 0, false
		}
		n = n*10 + uint64(c)
	}
	return n, n < maxPaged
}

// lastSlot returns the slot of a numeric id in the page used last, nil
// when it is in another: small enough to be inlined.
func (x *idIndex) lastSlot(n uint64) *uint64 {
	if x.lastPage != nil && x.lastKey == n>>pageBits {
		return &x.lastPage[n&(1<<pageBits-1)]
	}
	return nil
}

// pageSlot returns the slot of a numeric id, creating its page if create.
func (x *idIndex) pageSlot(n uint64, create bool) *uint64 {
	if p := x.lastSlot(n); p != nil {
		return p
	}
	key := n >> pageBits
	p := x.pages[key]
	if p != nil {
		x.lastKey, x.lastPage = key, p
	}
	if p == nil {
		if !create {
			return nil
		}
		if x.pages == nil {
			x.pages = map[uint64]*idPage{}
		}
		p = new(idPage)
		x.pages[key] = p
		x.lastKey, x.lastPage = key, p
	}
	return &p[n&(1<<pageBits-1)]
}

const (
	rowBits = 40
	segBits = 16
	refMask = 1<<(rowBits+segBits) - 1
)

func packRef(seg, row int) uint64 { return uint64(seg+1)<<rowBits | uint64(row) }
func unpackRef(r uint64) (int, int) {
	r &= refMask
	return int(r>>rowBits) - 1, int(r & (1<<rowBits - 1))
}

func newIDIndex() idIndex { return idIndex{seed: maphash.MakeSeed(), slots: make([]uint64, 1024)} }

func tagOf(h uint64) uint64 { return (h>>56 | 1) << 56 } // never 0, so a slot with a tag is never empty

// find returns the slot where id lives or would be inserted, and the tag to
// store with it.
func (x *idIndex) find(id string, idOf func(ref uint64) string) (slot int, tag uint64, found bool) {
	h := maphash.String(x.seed, id)
	tag = tagOf(h)
	mask := uint64(len(x.slots) - 1)
	i := h & mask
	for {
		r := x.slots[i]
		if r == 0 {
			return int(i), tag, false
		}
		if r&^refMask == tag && idOf(r) == id {
			return int(i), tag, true
		}
		i = (i + 1) & mask
	}
}

// lookup returns the ref of id, if the index holds it.
func (x *idIndex) lookup(id string, idOf func(uint64) string) (uint64, bool) {
	if n, ok := numericID(id); ok {
		if p := x.pageSlot(n, false); p != nil && *p != 0 {
			return *p, true
		}
		return 0, false
	}
	if slot, _, found := x.find(id, idOf); found {
		return x.slots[slot], true
	}
	return 0, false
}

func (x *idIndex) set(slot int, tag, ref uint64, isNew bool, idOf func(uint64) string) {
	x.slots[slot] = tag | ref
	if !isNew {
		return
	}
	x.n++
	if x.n*4 > len(x.slots)*3 {
		x.rehash(idOf)
	}
}

// reserve sizes the index for n ids in all.
func (x *idIndex) reserve(n int, idOf func(uint64) string) {
	need := n * 4 / 3
	if need <= len(x.slots) {
		return
	}
	size := len(x.slots)
	for size < need {
		size *= 2
	}
	x.resize(size, idOf)
}

func (x *idIndex) rehash(idOf func(uint64) string) { x.resize(len(x.slots)*2, idOf) }

// resize moves the index to size slots, a power of two.
func (x *idIndex) resize(size int, idOf func(uint64) string) {
	old := x.slots
	x.slots = make([]uint64, size)
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

package eventfile

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"strings"
)

// A reader gives out strings without an allocation of their own: repeated
// values (kinds, actors, currencies, attribute names and values) come from
// small caches, and the rest (ids, mostly) are cut from large shared blocks.
// Every string given out is immutable and may be kept; keeping one keeps its
// block (slabSize bytes) alive.

const (
	slabSize = 32 << 10
	// maxCached bounds each cache, so a column of unique values costs a
	// bounded amount of memory.
	maxCached = 4096
)

// slab cuts strings from large blocks. strings.Builder never changes bytes it
// has written, so a string taken from it stays valid while it grows within
// its capacity.
type slab struct {
	b *strings.Builder
}

func (s *slab) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > slabSize/16 {
		return string(b)
	}
	if s.b == nil || s.b.Cap()-s.b.Len() < len(b) {
		s.b = new(strings.Builder)
		s.b.Grow(slabSize)
	}
	n := s.b.Len()
	s.b.Write(b)
	return s.b.String()[n:]
}

// dict is a small open-addressing hash table from text to a value, looked up
// by bytes without allocating. Its seed is random, so hostile input cannot
// aim at collisions; it stops growing at maxCached entries.
type dict struct {
	seed   maphash.Seed
	k0, k1 uint64 // the seed of the hash of short keys
	slots  []dictSlot
	n      int
	// unbounded lifts maxCached: a dictionary of a reader that codes
	// versions (csvCoder) keeps every value, as the store does.
	unbounded bool
}

type dictSlot struct {
	hash   uint64 // 0: empty
	w0, w1 uint64 // the bytes of a key of up to 16 bytes
	key    string
	val    any
	code   uint32 // the value's code in a csvCoder's chunk; 0 until known
}

// find returns the slot of b (empty when b is not in d) and b's hash and
// words.
func (d *dict) find(b []byte) (s *dictSlot, h, w0, w1 uint64) {
	if d.slots == nil {
		d.seed = maphash.MakeSeed()
		d.k0, d.k1 = maphash.String(d.seed, "k0"), maphash.String(d.seed, "k1")
		d.slots = make([]dictSlot, 16)
	}
	n := len(b)
	mask := uint64(len(d.slots) - 1)
	if n > 16 {
		h = maphash.Bytes(d.seed, b) | 1
		for i := h & mask; ; i = (i + 1) & mask {
			s = &d.slots[i]
			if s.hash == 0 || s.hash == h && s.key == string(b) {
				return s, h, 0, 0
			}
		}
	}
	// Keys of up to 16 bytes (all the usual ones) are read as two words,
	// hashed with a multiply-mix and compared word by word. Reading past
	// len(b) within cap(b) is fine: those bytes are masked off.
	switch {
	case n >= 8:
		w0 = binary.LittleEndian.Uint64(b)
		w1 = binary.LittleEndian.Uint64(b[n-8:])
	case cap(b) >= 8:
		w0 = binary.LittleEndian.Uint64(b[:8]) & (1<<(8*n) - 1)
	default:
		for i := n - 1; i >= 0; i-- {
			w0 = w0<<8 | uint64(b[i])
		}
	}
	hi, lo := bits.Mul64(w0^d.k0, w1^d.k1^uint64(n))
	h = (hi ^ lo) | 1
	for i := h & mask; ; i = (i + 1) & mask {
		s = &d.slots[i]
		if s.hash == 0 || s.hash == h && s.w0 == w0 && s.w1 == w1 && len(s.key) == n {
			return s, h, w0, w1
		}
	}
}

// get returns the value stored for b.
func (d *dict) get(b []byte) (any, bool) {
	s, _, _, _ := d.find(b)
	return s.val, s.hash != 0
}

// slot returns the slot of b, nil when b is not stored. It is valid until
// the next value is stored.
func (d *dict) slot(b []byte) *dictSlot {
	if s, _, _, _ := d.find(b); s.hash != 0 {
		return s
	}
	return nil
}

// put stores val for b (not yet in d), unless d is full, and returns b as
// a string.
func (d *dict) put(b []byte, val any, sl *slab) string {
	key := sl.str(b)
	d.store(b, key, val)
	return key
}

func (d *dict) store(b []byte, key string, val any) {
	if d.n >= maxCached && !d.unbounded {
		return
	}
	s, h, w0, w1 := d.find(b)
	*s = dictSlot{hash: h, w0: w0, w1: w1, key: key, val: val}
	d.n++
	if 2*d.n > len(d.slots) {
		old := d.slots
		d.slots = make([]dictSlot, 2*len(old))
		mask := uint64(len(d.slots) - 1)
		for _, o := range old {
			if o.hash == 0 {
				continue
			}
			i := o.hash & mask
			for d.slots[i].hash != 0 {
				i = (i + 1) & mask
			}
			d.slots[i] = o
		}
	}
}

// intern returns b as a string, the same string for the same bytes.
func (d *dict) intern(b []byte, sl *slab) string {
	key, _ := d.internSlot(b, sl)
	return key
}

// internSlot is intern that also returns b's slot (nil when d is full),
// valid until the next value is stored.
func (d *dict) internSlot(b []byte, sl *slab) (string, *dictSlot) {
	if s, _, _, _ := d.find(b); s.hash != 0 {
		return s.key, s
	}
	key := d.put(b, nil, sl)
	return key, d.slot(b)
}

// boxString returns b as a string in an interface, the same for the same
// bytes.
func (d *dict) boxString(b []byte, sl *slab) any {
	if s, _, _, _ := d.find(b); s.hash != 0 {
		return s.val
	}
	key := sl.str(b)
	var v any = key
	d.store(b, key, v)
	return v
}

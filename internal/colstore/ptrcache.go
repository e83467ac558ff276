package colstore

import (
	"math"
	"unsafe"
)

// ptrCache remembers the codes of recently seen strings by the address of
// their bytes: hosts that load many events reuse the same string values
// (kinds, actors, attribute values), and a pointer comparison is far cheaper
// than a map lookup. A miss falls back to the dictionary.
type ptrCache struct {
	e     []ptrPair // a power of two long; nil until first use
	shift uint      // 64 - log2(len(e)): a hash shifted right by it is a slot
}

// sized makes a cache of 2^bits entries (at least 4).
func sized(bits uint) ptrCache {
	bits = max(bits, 2)
	return ptrCache{e: make([]ptrPair, 1<<(bits-1)), shift: 64 - (bits - 1)}
}

// ptrPair is two ways: a string is in either entry of its pair.
type ptrPair [2]ptrEntry

type ptrEntry struct {
	p    unsafe.Pointer
	n    uint32 // the string's length, cut to 32 bits (p tells strings apart)
	code uint32
}

// slotOf spreads addresses over the 64 slots; values boxed side by side
// (8 bytes apart) land in different slots.
func slotOf(p unsafe.Pointer) int { return slotBits(p, 6) }

func slotBits(p unsafe.Pointer, bits uint) int {
	return int(uint64(uintptr(p)>>3) * 0x9E3779B97F4A7C15 >> (64 - bits))
}

// strSlot is slotBits for the bytes of a string, which may be packed
// closer than 8 bytes apart (Go packs small strings into shared 16-byte
// blocks): every bit of the address counts. shift is 64 less the bits.
func strSlot(p unsafe.Pointer, shift uint) int {
	// The shift masked to 63: the compiler then adds no test of a shift
	// past 63 bits (shift is at most 63: see sized).
	return int(uint64(uintptr(p)) * 0x9E3779B97F4A7C15 >> (shift & 63))
}

// get returns the code of s, if the cache holds it. No entry has a length
// past 32 bits (put keeps none), so none is found.
func (c *ptrCache) get(s string) (uint32, bool) {
	if c.e == nil || len(s) == 0 {
		return 0, false
	}
	return c.probe(s)
}

// probe is get of a string that is not empty in a cache in use: small
// enough to be inlined in a caller that checked both (strDict.known).
func (c *ptrCache) probe(s string) (uint32, bool) {
	p := unsafe.Pointer(unsafe.StringData(s))
	b := &c.e[strSlot(p, c.shift)] // below len(c.e): its top bits
	e := &b[0]
	if e.p != p || uint64(e.n) != uint64(len(s)) {
		if e = &b[1]; e.p != p || uint64(e.n) != uint64(len(s)) {
			return 0, false
		}
	}
	return e.code, true
}

// put keeps s in the first entry of its pair, the string there before it
// in the second.
func (c *ptrCache) put(s string, code uint32) {
	if len(s) == 0 || uint64(len(s)) > math.MaxUint32 {
		return
	}
	if c.e == nil {
		*c = sized(6)
	}
	p := unsafe.Pointer(unsafe.StringData(s))
	b := &c.e[strSlot(p, c.shift)] // below len(c.e): its top bits
	b[1] = b[0]
	b[0] = ptrEntry{p: p, n: uint32(len(s)), code: code}
}

// anyCache is ptrCache for boxed attribute values, keyed by the address of
// the boxed data and its type.
type anyCache struct {
	e [64]anyEntry
}

type anyEntry struct {
	typ, data unsafe.Pointer
	code      uint32
}

type eface struct{ typ, data unsafe.Pointer }

func (c *anyCache) get(v any) (uint32, bool) {
	f := (*eface)(unsafe.Pointer(&v))
	if f.data == nil {
		return 0, false
	}
	e := &c.e[slotOf(f.data)]
	if e.data == f.data && e.typ == f.typ {
		return e.code, true
	}
	return 0, false
}

func (c *anyCache) put(v any, code uint32) {
	f := (*eface)(unsafe.Pointer(&v))
	if f.data == nil {
		return
	}
	c.e[slotOf(f.data)] = anyEntry{typ: f.typ, data: f.data, code: code}
}

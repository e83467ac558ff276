package eventfile

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"strings"
	"unsafe"
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

// dict is a small hash table from text to a value, looked up by bytes
// without allocating. Its seed is random, so hostile input cannot aim at
// collisions; it stops growing at maxCached entries.
//
// The entries (slots) are kept in the order stored, apart from the index
// that finds them, so that a lookup reads little memory: a dense table of
// tags (a key of up to 16 bytes as two words) and, for keys that are small
// numbers written plainly (CRM user ids: actor "898"), a direct table from
// the number to its slot, no hash at all. The index also holds each
// value's code in a csvCoder's chunk, so that coding a line by codes
// (code) reads nothing else.
type dict struct {
	seed   maphash.Seed
	k0, k1 uint64 // the seed of the hash of short keys
	tags   []dictTag
	slots  []dictSlot
	// small[v] is one plus the slot of the key that is v in decimal digits
	// without a leading zero (0: no such key), for every v below
	// len(small), and smallCode[v] its code (apart, so that the codes a
	// coded line reads are dense). Such keys have no tag.
	small, smallCode []uint32
	nsmall           int // the keys small finds
	// unbounded lifts maxCached: a dictionary of a reader that codes
	// versions (csvCoder) keeps every value, as the store does.
	unbounded bool
}

// dictTag finds a slot: meta is a part of the key's hash with its length
// (never 0: 0 is an empty tag); a key of up to 16 bytes is w0 and w1, a
// longer one is compared with its slot's key.
type dictTag struct {
	w0, w1 uint64
	meta   uint32
	at     uint32 // the slot
	code   uint32 // the slot's code
}

type dictSlot struct {
	key string
	val any
	// code is the value's code in a csvCoder's chunk, 0 until known
	// (setCode).
	code uint32
}

const (
	// maxSmall bounds the numbers of the direct table, and smallPerSlot
	// its size against the number of slots (128 bytes a slot at most).
	maxSmall     = 1 << 16
	smallPerSlot = 16
	minSmall     = 256
	// minTags is the size of the first table of tags: a few values (the
	// kinds of a file) seldom share the tag a hash chooses (2 KB).
	minTags = 64
)

// lenMasks[n] masks the two words of a key of n bytes.
var lenMasks = func() (m [17][2]uint64) {
	for n := range m {
		for i := range n {
			m[n][i/8] |= 0xff << (8 * (i % 8))
		}
	}
	return m
}()

// smallDigits returns the number that the n bytes of w (1 to 8 of them,
// the rest zero) write in decimal digits without a leading zero ("0" is
// 0): eight digits at a time, as in Lemire's "fast integer parsing".
func smallDigits(w uint64, n int) (int, bool) {
	t := w ^ 0x3030303030303030&lenMasks[n][0]
	if (t|(t+0x0606060606060606))&0xf0f0f0f0f0f0f0f0 != 0 || n > 1 && t&0xff == 0 {
		return 0, false
	}
	t <<= 8 * (8 - n)
	t = t * 2561 >> 8
	t = (t & 0x00ff00ff00ff00ff) * 6553601 >> 16
	return int((t & 0x0000ffff0000ffff) * 42949672960001 >> 32), true
}

// smallNumber returns the number that b writes in decimal digits without
// a leading zero, when it is below maxSmall.
func smallNumber(b []byte) (int, bool) {
	if n := len(b); n >= 1 && n <= 5 {
		w0, _ := words(b)
		if v, ok := smallDigits(w0, n); ok && v < maxSmall {
			return v, true
		}
	}
	return 0, false
}

// words returns a key of up to 16 bytes as two words, the bytes past its
// length zero.
func words(b []byte) (w0, w1 uint64) {
	var buf [16]byte
	copy(buf[:], b)
	return binary.LittleEndian.Uint64(buf[:8]), binary.LittleEndian.Uint64(buf[8:])
}

// longKey is the length part of the meta of a key of more than 16 bytes
// (a shorter key's is its length plus one).
const longKey = 18

// hash returns the hash of b, its words (short keys) and its tag's meta.
func (d *dict) hash(b []byte) (h, w0, w1 uint64, meta uint32) {
	n := len(b)
	if n > 16 {
		h = maphash.Bytes(d.seed, b)
		return h, 0, 0, uint32(h>>32)&^0xff | longKey
	}
	w0, w1 = words(b)
	h, meta = d.hashWords(w0, w1, n)
	return h, w0, w1, meta
}

// hashWords is the hash and meta of a short key of n bytes as two words.
func (d *dict) hashWords(w0, w1 uint64, n int) (h uint64, meta uint32) {
	hi, lo := bits.Mul64(w0^d.k0, w1^d.k1^uint64(n))
	h = hi ^ lo
	return h, uint32(h>>32)&^0xff | uint32(n) + 1
}

// tag returns the index of the tag of b, or of the empty tag where b would
// go.
func (d *dict) tag(b []byte) int {
	h, w0, w1, meta := d.hash(b)
	mask := uint64(len(d.tags) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		t := &d.tags[i]
		if t.meta == 0 || t.meta == meta && t.w0 == w0 && t.w1 == w1 && (meta&0xff != longKey || d.slots[t.at].key == string(b)) {
			return int(i)
		}
	}
}

// lookup returns the slot of b, nil when b is not stored. It is valid
// until the next value is stored.
func (d *dict) lookup(b []byte) *dictSlot {
	if at, _ := d.entry(b); at >= 0 {
		return &d.slots[at]
	}
	return nil
}

// code returns the code of b (setCode), 0 when b is not stored or has
// none. A caller that looks up many keys calls codeNumber or codeHashed
// itself, as code does, so that the branch between them is its own.
func (d *dict) code(b []byte) uint32 {
	if len(d.small) > 0 {
		return d.codeNumber(b)
	}
	return d.codeHashed(b)
}

// codeNumber is code in a dictionary with a direct table, codeHashed in
// one without.
func (d *dict) codeNumber(b []byte) uint32 {
	if n := len(b); n <= 5 && n >= 1 && cap(b) >= 8 {
		w0 := binary.LittleEndian.Uint64(b[:8]) & lenMasks[n][0]
		if v, ok := smallDigits(w0, n); ok && v < len(d.small) {
			return d.smallCode[v]
		}
	}
	_, code := d.entry(b)
	return code
}

func (d *dict) codeHashed(b []byte) uint32 {
	_, code := d.entry(b)
	return code
}

// entry returns the slot of b (-1 when b is not stored) and its code.
func (d *dict) entry(b []byte) (int, uint32) {
	n := len(b)
	if n > 16 || cap(b) < 16 || d.tags == nil {
		return d.entrySlow(b)
	}
	// A short key is read as two words from the bytes it is in: those
	// past its length, within cap(b), are masked off.
	m := &lenMasks[n]
	b = b[:16]
	w0 := binary.LittleEndian.Uint64(b) & m[0]
	w1 := binary.LittleEndian.Uint64(b[8:]) & m[1]
	if len(d.small) > 0 && n <= 5 && n >= 1 {
		if v, ok := smallDigits(w0, n); ok && v < len(d.small) {
			return int(d.small[v]) - 1, d.smallCode[v]
		}
	}
	h, meta := d.hashWords(w0, w1, n)
	mask := uint64(len(d.tags) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		t := &d.tags[i]
		if t.meta == meta && t.w0 == w0 && t.w1 == w1 {
			return int(t.at), t.code
		}
		if t.meta == 0 {
			return -1, 0
		}
	}
}

// entrySlow is entry of a long key, of one at the end of its memory, or
// in an empty dictionary.
func (d *dict) entrySlow(b []byte) (int, uint32) {
	if v, ok := smallNumber(b); ok && v < len(d.small) {
		return int(d.small[v]) - 1, d.smallCode[v]
	}
	if d.tags == nil {
		return -1, 0
	}
	if t := &d.tags[d.tag(b)]; t.meta != 0 {
		return int(t.at), t.code
	}
	return -1, 0
}

// setCode sets the code of slot s, which d holds.
func (d *dict) setCode(s *dictSlot, code uint32) {
	s.code = code
	b := unsafe.Slice(unsafe.StringData(s.key), len(s.key))
	if v, ok := smallNumber(b); ok && v < len(d.small) {
		d.smallCode[v] = code
		return
	}
	d.tags[d.tag(b)].code = code
}

// get returns the value stored for b.
func (d *dict) get(b []byte) (any, bool) {
	if s := d.lookup(b); s != nil {
		return s.val, true
	}
	return nil, false
}

// put stores val for b (not yet in d), unless d is full, and returns b as
// a string.
func (d *dict) put(b []byte, val any, sl *slab) string {
	key := sl.str(b)
	d.store(b, key, val)
	return key
}

// store stores val for b (not yet in d) with b as key, unless d is full,
// and returns its slot (nil when full), valid until the next value is
// stored.
func (d *dict) store(b []byte, key string, val any) *dictSlot {
	if len(d.slots) >= maxCached && !d.unbounded || int64(len(d.slots)) >= 1<<31 {
		return nil
	}
	if d.tags == nil {
		d.seed = maphash.MakeSeed()
		d.k0, d.k1 = maphash.String(d.seed, "k0"), maphash.String(d.seed, "k1")
		d.tags = make([]dictTag, minTags)
	}
	d.slots = append(d.slots, dictSlot{key: key, val: val})
	at := len(d.slots) - 1
	if v, ok := smallNumber(b); ok && v >= len(d.small) {
		// Cover v by the direct table if it stays small against the
		// slots; the keys it then covers leave the tags.
		if size := max(minSmall, 1<<bits.Len(uint(v))); size <= max(minSmall, smallPerSlot*len(d.slots)) {
			d.small = append(d.small, make([]uint32, size-len(d.small))...)
			d.smallCode = append(d.smallCode, make([]uint32, size-len(d.smallCode))...)
			d.index(len(d.tags))
			return &d.slots[at]
		}
	}
	d.place(b, at)
	if 2*(len(d.slots)-d.nsmall) > len(d.tags) {
		d.index(2 * len(d.tags))
	}
	return &d.slots[at]
}

// place indexes slot at, whose key is b.
func (d *dict) place(b []byte, at int) {
	code := d.slots[at].code
	if v, ok := smallNumber(b); ok && v < len(d.small) {
		d.small[v], d.smallCode[v] = uint32(at+1), code
		d.nsmall++
		return
	}
	_, w0, w1, meta := d.hash(b)
	t := &d.tags[d.tag(b)]
	*t = dictTag{w0: w0, w1: w1, meta: meta, at: uint32(at), code: code}
}

// index indexes every slot again, with n tags.
func (d *dict) index(n int) {
	d.tags = make([]dictTag, n)
	clear(d.small)
	clear(d.smallCode)
	d.nsmall = 0
	for at := range d.slots {
		key := d.slots[at].key
		d.place(unsafe.Slice(unsafe.StringData(key), len(key)), at)
	}
}

// intern returns b as a string, the same string for the same bytes.
func (d *dict) intern(b []byte, sl *slab) string {
	key, _ := d.internSlot(b, sl)
	return key
}

// internIdent is internSlot for an identifier (a kind, an actor, an
// attribute name): b is checked (identProblem) only when d does not hold
// it, and refused with what is wrong. d holds identifiers only, so what it
// holds was checked when it came in.
func (d *dict) internIdent(b []byte, sl *slab) (string, *dictSlot, string) {
	if s := d.lookup(b); s != nil {
		return s.key, s, ""
	}
	if bad := identProblem(b); bad != "" {
		return "", nil, bad
	}
	key := sl.str(b)
	return key, d.store(b, key, nil), ""
}

// internSlot is intern that also returns b's slot (nil when d is full),
// valid until the next value is stored.
func (d *dict) internSlot(b []byte, sl *slab) (string, *dictSlot) {
	if s := d.lookup(b); s != nil {
		return s.key, s
	}
	key := sl.str(b)
	return key, d.store(b, key, nil)
}

// boxString returns b as a string in an interface, the same for the same
// bytes.
func (d *dict) boxString(b []byte, sl *slab) any {
	if s := d.lookup(b); s != nil {
		return s.val
	}
	key := sl.str(b)
	var v any = key
	d.store(b, key, v)
	return v
}

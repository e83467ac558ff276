package colstore

import (
	"math/bits"

	"github.com/goalkit/goalkit/internal/display"
)

// strDict codes strings as dense uint32s starting at 1; code 0 means "none".
type strDict struct {
	codes map[string]uint32
	vals  []string // vals[0] is ""
	cache ptrCache
}

func newStrDict() strDict { return strDict{codes: map[string]uint32{"": 0}, vals: []string{""}} }

func (d *strDict) code(s string) uint32 {
	if c, ok := d.cache.get(s); ok {
		return c
	}
	c, added := intern(d.codes, &d.vals, s, s)
	if !added {
		d.fit()
		d.cache.put(s, c)
	}
	return c
}

// fit grows the cache, at a miss, to eight entries for each string held
// (up to maxCached): two ways of a slot shared by three strings or more
// miss over and over (a CRM's thousands of actors in a few thousand
// entries missed one time in twelve).
func (d *strDict) fit() {
	if n := 2 * len(d.cache.e); n < maxCached && 8*len(d.vals) > n {
		// The power of two at or past eight entries a string.
		d.cache = sized(min(uint(bits.Len(uint(8*len(d.vals)-1))), maxCachedBits))
	}
}

// maxCached is the most entries fit gives a cache: 1 MB.
const (
	maxCachedBits = 16
	maxCached     = 1 << maxCachedBits
)

// intern returns the code of key in codes. A new key gets the next code,
// the index at which v is appended to vals.
func intern[K comparable, V any](codes map[K]uint32, vals *[]V, key K, v V) (code uint32, added bool) {
	if c, ok := codes[key]; ok {
		return c, false
	}
	c := uint32(len(*vals))
	*vals = append(*vals, v)
	codes[key] = c
	return c, true
}

// truncate forgets the strings past the first n (n ≥ 1: "" stays).
func (d *strDict) truncate(n int) {
	for _, s := range d.vals[n:] {
		delete(d.codes, s)
	}
	clear(d.vals[n:])
	d.vals = d.vals[:n]
	d.cache = ptrCache{} // it may hold a dropped string: built again as needed
}

// identCode is code for an identifier (display.IDProblem): a string new to
// the dictionary is checked first, and one that is not an identifier is not
// added; the problem is returned instead.
func (d *strDict) identCode(s string) (uint32, string) {
	if s == "" {
		return 0, ""
	}
	if c := d.known(s); c != 0 {
		return c, ""
	}
	if bad := display.IDProblem(s); bad != "" {
		return 0, bad
	}
	c, _ := intern(d.codes, &d.vals, s, s)
	return c, ""
}

// known returns the code of s, 0 when the dictionary does not hold it (or
// s is empty).
func (d *strDict) known(s string) uint32 {
	if d.cache.e != nil && len(s) != 0 {
		if c, ok := d.cache.probe(s); ok { // inlined: a call less
			return c
		}
	}
	return d.knownMissed(s)
}

// knownMissed is known of a string the cache does not hold.
func (d *strDict) knownMissed(s string) uint32 {
	c, ok := d.codes[s]
	if ok && c != 0 {
		d.fit()
		d.cache.put(s, c)
	}
	return c
}

func (d *strDict) lookup(s string) (uint32, bool) {
	c, ok := d.codes[s]
	return c, ok
}

// Len is the number of codes including the "none" code 0.
func (d *strDict) Len() int { return len(d.vals) }

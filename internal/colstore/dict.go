package colstore

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
	if c, ok := d.codes[s]; ok {
		d.cache.put(s, c)
		return c
	}
	c := uint32(len(d.vals))
	d.vals = append(d.vals, s)
	d.codes[s] = c
	return c
}

func (d *strDict) lookup(s string) (uint32, bool) {
	c, ok := d.codes[s]
	return c, ok
}

// Len is the number of codes including the "none" code 0.
func (d *strDict) Len() int { return len(d.vals) }

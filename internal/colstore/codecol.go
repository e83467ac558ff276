package colstore

// codeCol is a column of dictionary codes that starts one byte wide and widens
// to two, then four bytes as its dictionary grows.
type codeCol struct {
	w8  []uint8
	w16 []uint16
	w32 []uint32
	n   int
}

type codeInt interface{ ~uint8 | ~uint16 | ~uint32 }

func (c *codeCol) Len() int { return c.n }

func widen[F, T codeInt](from []F, capHint int) []T {
	to := make([]T, len(from), max(capHint, len(from)))
	for i, v := range from {
		to[i] = T(v)
	}
	return to
}

func (c *codeCol) grow(code uint32) {
	switch {
	case c.w32 != nil:
	case c.w16 != nil:
		if code > 0xffff {
			c.w32 = widen[uint16, uint32](c.w16, cap(c.w16))
			c.w16 = nil
		}
	default:
		if code > 0xffff {
			c.w32 = widen[uint8, uint32](c.w8, cap(c.w8))
			c.w8 = nil
		} else if code > 0xff {
			c.w16 = widen[uint8, uint16](c.w8, cap(c.w8))
			c.w8 = nil
		}
	}
}

func (c *codeCol) append(code uint32) {
	c.grow(code)
	switch {
	case c.w32 != nil:
		c.w32 = push(c.w32, code)
	case c.w16 != nil:
		c.w16 = push(c.w16, uint16(code))
	default:
		c.w8 = push(c.w8, uint8(code))
	}
	c.n++
}

// padTo appends absent codes (0) until the column has n rows.
func (c *codeCol) padTo(n int) {
	for c.n < n {
		c.append(0)
	}
}

// Get returns the code of row i; 0 (absent) past the column's end.
func (c *codeCol) Get(i int) uint32 {
	if i >= c.n {
		return 0
	}
	switch {
	case c.w32 != nil:
		return c.w32[i]
	case c.w16 != nil:
		return uint32(c.w16[i])
	}
	return uint32(c.w8[i])
}

func lookupInto[T codeInt](codes []T, table []uint8, out []uint8) {
	for i, c := range codes {
		if int(c) < len(table) {
			out[i] = table[c]
		} else {
			out[i] = 0
		}
	}
}

// Lookup sets out[i-lo] = table[code of row i] for rows [lo, hi). Rows past
// the column's end are absent (code 0); codes past the table give 0.
func (c *codeCol) Lookup(lo, hi int, table []uint8, out []uint8) {
	out = out[:hi-lo]
	end := min(hi, c.n)
	if lo < end {
		switch {
		case c.w32 != nil:
			lookupInto(c.w32[lo:end], table, out)
		case c.w16 != nil:
			lookupInto(c.w16[lo:end], table, out)
		default:
			lookupInto(c.w8[lo:end], table, out)
		}
	}
	var absent uint8
	if len(table) > 0 {
		absent = table[0]
	}
	for i := max(lo, end); i < hi; i++ {
		out[i-lo] = absent
	}
}

func (c *codeCol) bytes() int { return len(c.w8) + 2*len(c.w16) + 4*len(c.w32) }

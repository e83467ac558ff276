package colstore

// codeCol is a column of dictionary codes that starts one byte wide and widens
// to two, then four bytes as its dictionary grows.
//
// An attribute column (filled with put) is sparse while few of its rows hold
// a value: it keeps (row, code) pairs instead, so that an attribute that
// appears in a few events costs memory for those events only, not a padded
// code for every row of its segment. See put for when it changes form.
type codeCol struct {
	w8  []uint8
	w16 []uint16
	w32 []uint32
	n   int // rows, the last one with a value included (sparse or not)
	// set counts the rows with a value (put only).
	set int
	// sparse holds the column as sRows (ascending) and sCodes.
	sparse bool
	sRows  []int64
	sCodes []uint32
}

// A column densifies when at least one row in densifyEvery would hold a
// value, and turns sparse again when fewer than one in sparsifyEvery would:
// a dense column never costs more than 4*sparsifyEvery bytes a value, a
// sparse one 12 bytes a value, and the gap between the two ratios makes
// each change of form cost time paid for by the rows since the last one.
const (
	densifyEvery  = 8
	sparsifyEvery = 32
)

// put sets the code of row, which is at least c.n (rows come in order).
func (c *codeCol) put(row int, code uint32) {
	if !c.putByte(row, code) {
		c.putGrowing(row, code)
	}
}

// putByte is put's common case, small enough to be inlined, and whether
// it applied: a dense byte-wide column with room for the row, which stays
// dense. (A column with room in w8 is byte-wide: widening sets w8 to nil.)
func (c *codeCol) putByte(row int, code uint32) bool {
	if c.n != row || code > 0xff || len(c.w8) == cap(c.w8) || c.sparse || row >= sparsifyEvery*(c.set+1) {
		return false
	}
	c.w8 = c.w8[:row+1]
	c.w8[row] = uint8(code)
	c.n++
	c.set++
	return true
}

// putGrowing is put past the common case.
func (c *codeCol) putGrowing(row int, code uint32) {
	c.set++
	span := row + 1
	if !c.sparse && c.n == row && span <= sparsifyEvery*c.set {
		c.append(code) // the common case below, without padding
		return
	}
	if c.sparse {
		if span <= densifyEvery*c.set {
			c.densify()
		} else {
			c.sRows = append(c.sRows, int64(row))
			c.sCodes = append(c.sCodes, code)
			c.n = span
			return
		}
	} else if span > sparsifyEvery*c.set {
		c.sparsify()
		c.sRows = append(c.sRows, int64(row))
		c.sCodes = append(c.sCodes, code)
		c.n = span
		return
	}
	c.padTo(row)
	c.append(code)
}

// sparsify turns the dense column into pairs.
func (c *codeCol) sparsify() {
	for i := 0; i < c.n; i++ {
		if v := c.Get(i); v != 0 {
			c.sRows = append(c.sRows, int64(i))
			c.sCodes = append(c.sCodes, v)
		}
	}
	c.w8, c.w16, c.w32 = nil, nil, nil
	c.sparse = true
}

// densify turns the pairs into a dense column of c.n rows.
func (c *codeCol) densify() {
	rows, codes, n := c.sRows, c.sCodes, c.n
	c.sRows, c.sCodes, c.sparse, c.n = nil, nil, false, 0
	for k, r := range rows {
		c.padTo(int(r))
		c.append(codes[k])
	}
	c.padTo(n)
}

// sparseFrom is the index of the first pair at row i or after.
func (c *codeCol) sparseFrom(i int) int {
	lo, hi := 0, len(c.sRows)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if c.sRows[m] < int64(i) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
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
	if code <= 0xff && c.w16 == nil && c.w32 == nil {
		// The common case: a byte-wide column and a code that fits it.
		c.w8 = push(c.w8, uint8(code))
		c.n++
		return
	}
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
	if c.sparse {
		if k := c.sparseFrom(i); k < len(c.sRows) && c.sRows[k] == int64(i) {
			return c.sCodes[k]
		}
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
	if c.sparse {
		var absent uint8
		if len(table) > 0 {
			absent = table[0]
		}
		for i := range out {
			out[i] = absent
		}
		for k := c.sparseFrom(lo); k < len(c.sRows) && c.sRows[k] < int64(hi); k++ {
			var v uint8
			if code := c.sCodes[k]; int(code) < len(table) {
				v = table[code]
			}
			out[c.sRows[k]-int64(lo)] = v
		}
		return
	}
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

// LookupRow is Lookup of row i alone: table[code of row i], 0 for a code
// past the table.
func (c *codeCol) LookupRow(i int, table []uint8) uint8 {
	if code := c.Get(i); int(code) < len(table) {
		return table[code]
	}
	return 0
}

func (c *codeCol) bytes() int {
	return len(c.w8) + 2*len(c.w16) + 4*len(c.w32) + 8*len(c.sRows) + 4*len(c.sCodes)
}

package colstore

// push appends v to s. A full slice grows as Go's own append grows it, by
// about a quarter of its length once it is large: a column grown row by row
// (a live tracker's, a table loaded without Grow) leaves at most a fifth of
// its capacity unused, about a tenth on average, which is what stays on the
// heap. Each row is copied about four times over as the column grows; a
// load that knows its size (Grow) reserves the columns instead. The new
// memory is not cleared where the rows are copied (it was, by a make and a
// copy, when push grew the slice itself).
func push[T any](s []T, v T) []T { return append(s, v) }

// pushString is push for the bytes of a string.
func pushString(s []byte, v string) []byte { return append(s, v...) }

// reserve grows s's capacity to at least n.
func reserve[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s
	}
	r := make([]T, len(s), n)
	copy(r, s)
	return r
}

// reserve makes room in every column of s for n rows, and for the id bytes
// they are likely to need.
func (s *Segment) reserve(n int) {
	if n <= cap(s.Day) {
		return
	}
	s.settle()
	s.idEnd = reserve(s.idEnd, n)
	if s.N > 0 {
		s.idBuf = reserve(s.idBuf, int(int64(len(s.idBuf))*int64(n)/int64(s.N)))
	}
	s.Actor = reserve(s.Actor, n)
	s.Day = reserve(s.Day, n)
	s.TS = reserve(s.TS, n)
	if s.Amount != nil {
		s.Amount = reserve(s.Amount, n)
	}
	for i := range s.Attrs {
		// Only a column with a value in most rows is likely to need them all.
		if a := &s.Attrs[i]; !a.sparse && 2*a.set >= a.n {
			a.reserve(n)
		}
	}
	s.Cur.reserve(n)
}

func (c *codeCol) reserve(n int) {
	switch {
	case c.w32 != nil:
		c.w32 = reserve(c.w32, n)
	case c.w16 != nil:
		c.w16 = reserve(c.w16, n)
	case c.n > 0:
		c.w8 = reserve(c.w8, n)
	}
}

package kpi

// trackLog is the order in which a tracker applied its event versions: one
// code per version, the index of its segment in trackState.segOrder plus
// one, or 0 for a retraction (the next of trackState.retracts). A version's
// row is not kept: a segment's rows are appended in the order they are
// applied, so the k-th entry naming a segment is its row k, and a replay
// from the start counts them. The codes are one byte wide until a tracker
// has more than 255 segments, then two (a table has at most 65,534 kinds).
type trackLog struct {
	w8  []uint8
	w16 []uint16 // once a code does not fit a byte; w8 is then nil
}

// Len is the number of versions logged.
func (l *trackLog) Len() int {
	if l.w16 != nil {
		return len(l.w16)
	}
	return len(l.w8)
}

// add logs a version of segment idx (of segOrder), or a retraction (idx -1).
func (l *trackLog) add(idx int) {
	code := idx + 1
	if l.w16 == nil && code > 0xff {
		w := make([]uint16, len(l.w8), max(2*len(l.w8), 16))
		for i, c := range l.w8 {
			w[i] = uint16(c)
		}
		l.w16, l.w8 = w, nil
	}
	if l.w16 != nil {
		l.w16 = append(l.w16, uint16(code))
		return
	}
	l.w8 = append(l.w8, uint8(code))
}

// at returns the segment index of version i, -1 for a retraction.
func (l *trackLog) at(i int) int {
	if l.w16 != nil {
		return int(l.w16[i]) - 1
	}
	return int(l.w8[i]) - 1
}

// prefix returns the first n versions of the log; later adds to l do not
// change it.
func (l *trackLog) prefix(n int) trackLog {
	if l.w16 != nil {
		return trackLog{w16: l.w16[:n:n]}
	}
	return trackLog{w8: l.w8[:n:n]}
}

// trackRetractions are the retractions a tracker applied, in order: the
// ids' bytes end to end and, once one of them has a known instant, the
// instants (as the table's known column holds them: colstore.KnownNanos,
// 0 for always).
type trackRetractions struct {
	ids   []byte
	end   []uint32 // end offset of retraction i's id in ids
	known []int64  // nil while every instant is 0
}

// Len is the number of retractions.
func (r *trackRetractions) Len() int { return len(r.end) }

// add appends a retraction of id known at known.
func (r *trackRetractions) add(id string, known int64) {
	if known != 0 && r.known == nil {
		r.known = make([]int64, len(r.end), cap(r.end))
	}
	r.ids = append(r.ids, id...)
	r.end = append(r.end, uint32(len(r.ids)))
	if r.known != nil {
		r.known = append(r.known, known)
	}
}

// at returns retraction i's id and known instant.
func (r *trackRetractions) at(i int) (id string, known int64) {
	start := uint32(0)
	if i > 0 {
		start = r.end[i-1]
	}
	if r.known != nil {
		known = r.known[i]
	}
	return string(r.ids[start:r.end[i]]), known
}

// prefix returns the first n retractions; later adds to r do not change
// it.
func (r *trackRetractions) prefix(n int) trackRetractions {
	out := trackRetractions{end: r.end[:n:n]}
	if n > 0 {
		e := r.end[n-1]
		out.ids = r.ids[:e:e]
	}
	if r.known != nil {
		out.known = r.known[:n:n]
	}
	return out
}

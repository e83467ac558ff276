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

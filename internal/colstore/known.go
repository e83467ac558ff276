package colstore

// HasKnown reports whether a row of the segment, live or dead, may have a
// known instant (false: every row is known always).
func (s *Segment) HasKnown() bool { return s.known != nil }

package period

// Split returns the periods of g that cover p, each clipped to p, in order:
// together they tile p exactly, with no gap and no overlap. A part clipped at
// an edge keeps the grain g; for example March 2025 split into weeks starting
// Monday gives [03-01, 03-03), four whole weeks, and [03-31, 04-01).
//
// Split returns nil if p is empty, if g is not a valid grain, or if there
// would be more than [MaxPeriods] parts.
func (c *Calendar) Split(p Period, g Grain) []Period {
	if p.End <= p.Start || !g.valid() {
		return nil
	}
	i0, i1 := c.index(g, p.Start), c.index(g, p.End-1)
	if i1-i0+1 > MaxPeriods {
		return nil
	}
	out := make([]Period, 0, i1-i0+1)
	for i := i0; i <= i1; i++ {
		part := c.byIndex(g, i)
		part.Start = max(part.Start, p.Start)
		part.End = min(part.End, p.End)
		out = append(out, part)
	}
	return out
}

package colstore

// DictSize returns the total size of the table's dictionaries (actors,
// currencies, attribute names and values) and its amount scale folded in.
// Dictionaries only grow, so a caller that prepared lookups against them
// knows they are still valid while DictSize returns the same number.
func (t *Table) DictSize() int {
	n := len(t.actors.vals) + len(t.curs.vals) + len(t.attrIdx.vals) + int(t.Scale)<<40
	for _, d := range t.attrVals {
		n += len(d.vals)
	}
	return n
}

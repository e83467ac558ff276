package kpi

// HasKnown reports whether a version the table holds may have a Known
// instant; false when every version is known always, so that an
// evaluation as of any knowledge instant counts the same versions.
func (t *Table) HasKnown() bool {
	for _, s := range t.t.Segs {
		if s != nil && s.HasKnown() {
			return true
		}
	}
	return false
}

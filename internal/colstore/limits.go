package colstore

import "fmt"

// Limits of a table's attributes. They keep memory linear in the events
// applied: an event's attributes are encoded one by one, and every distinct
// name costs a column in each segment that meets it and a dictionary.
const (
	// MaxEventAttrs is the most attributes one event may carry.
	MaxEventAttrs = 64
	// MaxAttrNames is the most distinct attribute names a table holds.
	MaxAttrNames = 1024
)

// tooManyAttrs is the error of an event with more than MaxEventAttrs
// attributes.
func tooManyAttrs(id string, n int) error {
	return fmt.Errorf("event %q has %d attributes (at most %d)", id, n, MaxEventAttrs)
}

// TooManyAttrs returns the error of an event with n attributes, or nil when
// n is within MaxEventAttrs.
func TooManyAttrs(id string, n int) error {
	if n <= MaxEventAttrs {
		return nil
	}
	return tooManyAttrs(id, n)
}

// tooManyNames is the error of an attribute name past MaxAttrNames.
func tooManyNames(id, name string) error {
	return fmt.Errorf("event %q: attribute %q: too many distinct attribute names (at most %d)", id, name, MaxAttrNames)
}

// AttrNames is the number of distinct attribute names the table holds.
func (t *Table) AttrNames() int { return t.attrIdx.Len() - 1 }

// CheckNames reports whether the attribute names of attrs, with those new to
// the table already in added (which it extends), fit MaxAttrNames: for
// callers that validate a batch before applying any of it.
func (t *Table) CheckNames(id string, attrs map[string]any, added map[string]struct{}) error {
	for name := range attrs {
		if _, ok := t.attrIdx.lookup(name); ok {
			continue
		}
		if _, ok := added[name]; ok {
			continue
		}
		if t.AttrNames()+len(added) >= MaxAttrNames {
			return tooManyNames(id, name)
		}
		added[name] = struct{}{}
	}
	return nil
}

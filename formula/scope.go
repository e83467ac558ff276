package formula

import "strconv"

// Ref is one thing a program reads from its Scope: a declared name
// (Ref{Name: "amount"}), the value of a name Back periods ago (prev(won, 2)
// is Ref{Name: "won", Back: 2}), or a period helper (days() is
// Ref{Name: "days", Func: true}).
type Ref struct {
	Name string
	Back int
	Func bool
}

// String returns the ref as written in a formula: amount, prev(won, 2),
// days().
func (r Ref) String() string {
	switch {
	case r.Func:
		return r.Name + "()"
	case r.Back == 1:
		return "prev(" + r.Name + ")"
	case r.Back > 1:
		return "prev(" + r.Name + ", " + strconv.Itoa(r.Back) + ")"
	}
	return r.Name
}

func refLess(a, b Ref) int {
	switch {
	case a.Name != b.Name:
		if a.Name < b.Name {
			return -1
		}
		return 1
	case a.Func != b.Func:
		if b.Func {
			return -1
		}
		return 1
	}
	return a.Back - b.Back
}

// Scope supplies the values a program reads. Lookup returns Undefined for
// anything it does not have (a missing attribute, the previous period of
// the first one). A value whose type differs from the declared one reads as
// undefined. Lookup must be safe for concurrent use if the Scope is shared
// between goroutines.
type Scope interface {
	Lookup(r Ref) Value
}

// ScopeFunc adapts a function to the Scope interface.
type ScopeFunc func(Ref) Value

// Lookup returns f(r).
func (f ScopeFunc) Lookup(r Ref) Value { return f(r) }

// MapScope is a Scope of plain names. prev() and period helper lookups
// (Back > 0 or Func) are undefined.
type MapScope map[string]Value

// Lookup returns m[r.Name] for a plain name, else Undefined.
func (m MapScope) Lookup(r Ref) Value {
	if r.Back != 0 || r.Func {
		return Value{}
	}
	return m[r.Name]
}

package goalkit

import "github.com/goalkit/goalkit/internal/deepcopy"

// cloneDefinition returns a copy of d that shares nothing a host can change
// with it (deepcopy.Of). A compiled plan keeps parts of its definition (an
// indicator's kinds, a goal's participants), and Plan is immutable: a host
// that builds several plans from one Definition, changing it between
// Compile calls, or changes the Definition a plan returns, must not change
// the plans.
func cloneDefinition(d Definition) Definition {
	c := deepcopy.Of(d)
	c.WorkCalendar = d.WorkCalendar // immutable: the calendar itself
	return c
}

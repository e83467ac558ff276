package period

import (
	"github.com/rickb777/date/v2"
)

// A Period is a half-open range [Start, End) of local dates, of a grain.
//
// The dates are local to a [Calendar]'s time zone: [Calendar.Bounds] gives
// the instants a period covers. A Period made by a Calendar is a whole period
// of its grain (March 2025, 2025-W14), except the parts [Calendar.Split]
// clips to their parent, which keep their grain but may be shorter.
type Period struct {
	Grain Grain     `json:"grain" yaml:"grain"`
	Start date.Date `json:"start" yaml:"start"`
	End   date.Date `json:"end" yaml:"end"` // exclusive
}

// Contains reports whether d is in [p.Start, p.End).
func (p Period) Contains(d date.Date) bool { return p.Start <= d && d < p.End }

// Days returns the number of days in p, 0 if it is empty.
func (p Period) Days() int {
	if p.End <= p.Start {
		return 0
	}
	return int(p.End - p.Start)
}

// IsZero reports whether p is the zero Period.
func (p Period) IsZero() bool { return p == Period{} }

// Overlaps reports whether p and q share at least one day.
func (p Period) Overlaps(q Period) bool {
	return p.Start < q.End && q.Start < p.End && p.Start < p.End && q.Start < q.End
}

// String returns p for debugging, e.g. "month [2025-03-01, 2025-04-01)".
// Use [Calendar.Label] for a name to show to people.
func (p Period) String() string {
	return p.Grain.String() + " [" + p.Start.String() + ", " + p.End.String() + ")"
}

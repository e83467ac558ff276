package period

import (
	"errors"
	"fmt"

	"github.com/rickb777/date/v2"
)

// A Recurrence is a series of periods: every Every periods of Grain,
// starting with the period of Grain that contains Anchor. Each occurrence is
// Every consecutive periods of Grain long ("every 2 weeks" gives two-week
// periods), at most 2^40 days (about three billion years: beyond, the
// arithmetic of dates would overflow), its longest periods counted. For a custom grain made with [Days] the occurrences start at
// Anchor itself ("every 10 days from 14 March"). The series ends before
// Until, if set, and after Count occurrences, if set; otherwise it goes on
// forever.
type Recurrence struct {
	Grain  Grain     `json:"grain" yaml:"grain"`
	Every  int       `json:"every,omitempty" yaml:"every,omitempty"`   // 0 means 1
	Anchor date.Date `json:"anchor,omitempty" yaml:"anchor,omitempty"` // zero: the calendar's anchor
	Until  date.Date `json:"until,omitempty" yaml:"until,omitempty"`   // exclusive: occurrences start before it; zero: no end
	Count  int       `json:"count,omitempty" yaml:"count,omitempty"`   // most occurrences; 0: no limit
}

// Validate reports every problem with r, such as a missing grain or a
// negative count.
func (r Recurrence) Validate() error {
	var errs []error
	if !r.Grain.valid() {
		errs = append(errs, errors.New("grain: missing or invalid"))
	}
	if r.Every < 0 {
		errs = append(errs, fmt.Errorf("every: must be positive, got %d", r.Every))
	}
	if r.Grain.valid() && int64(r.Every) > maxShift/r.Grain.longest() {
		errs = append(errs, fmt.Errorf("every: %d periods of %s may last more than 2^40 days (about three billion years): at most %d",
			r.Every, r.Grain, maxShift/r.Grain.longest()))
	}
	if r.Count < 0 {
		errs = append(errs, fmt.Errorf("count: must not be negative, got %d", r.Count))
	}
	return errors.Join(errs...)
}

// Occurrences returns, in order, the occurrences of r that overlap [from,
// to): those that have started before to and end after from. Each has r's
// grain. It fails if r is invalid, if from >= to (the error wraps
// [ErrEmptyRange]) or if there would be more than [MaxPeriods].
func (c *Calendar) Occurrences(r Recurrence, from, to date.Date) ([]Period, error) {
	if err := r.Validate(); err != nil {
		return nil, fmt.Errorf("recurrence: %w", err)
	}
	if from >= to {
		return nil, fmt.Errorf("occurrences from %s to %s: %w", from, to, ErrEmptyRange)
	}
	g, every := r.Grain, int64(max(r.Every, 1))
	anchor := r.Anchor
	if anchor == date.Zero {
		anchor = c.Anchor()
	}
	if g.kind == kindDays {
		// A custom grain lines up with the recurrence's own anchor.
		cc := *c
		cc.anchorOffset = anchor - defaultAnchor
		c = &cc
	}
	first := c.index(g, anchor)
	// Occurrence k covers the periods first+k*every .. first+(k+1)*every-1.
	kFrom := max(floorDiv(c.index(g, from)-first, every), 0)
	kTo := floorDiv(c.index(g, to-1)-first, every) // last one starting before to
	if r.Count > 0 {
		kTo = min(kTo, int64(r.Count)-1)
	}
	if r.Until != date.Zero {
		if r.Until <= c.startOf(g, first) {
			return []Period{}, nil
		}
		kTo = min(kTo, floorDiv(c.index(g, r.Until-1)-first, every))
	}
	if kTo-kFrom+1 > MaxPeriods {
		return nil, fmt.Errorf("occurrences from %s to %s: more than %d", from, to, MaxPeriods)
	}
	out := make([]Period, 0, max(kTo-kFrom+1, 0))
	for k := kFrom; k <= kTo; k++ {
		i := first + k*every
		out = append(out, Period{Grain: g, Start: c.startOf(g, i), End: c.startOf(g, i+every)})
	}
	return out, nil
}

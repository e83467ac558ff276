package period

import (
	"fmt"
	"time"

	"github.com/rickb777/date/v2"
)

// MaxPeriods is the most periods [Calendar.Periods], [Calendar.Split] and
// [Calendar.Occurrences] return at once.
const MaxPeriods = 1 << 20

// index returns the number of the period of g containing d, counted from an
// arbitrary origin fixed for g and c. Consecutive periods have consecutive
// numbers. g must be valid.
func (c *Calendar) index(g Grain, d date.Date) int64 {
	switch g.kind {
	case kindDay:
		return int64(d)
	case kindWeek:
		return floorDiv(int64(d-c.weekRef), 7)
	case kindDays:
		return floorDiv(int64(d-c.Anchor()), int64(g.n))
	}
	step, fiscal, _ := g.monthStep()
	y, m, _ := d.Date()
	return floorDiv(int64(y)*12+int64(m)-1-c.monthOffset(fiscal), step)
}

// startOf returns the first day of the period of g numbered i (see index).
func (c *Calendar) startOf(g Grain, i int64) date.Date {
	switch g.kind {
	case kindDay:
		return date.Date(i)
	case kindWeek:
		return c.weekRef + date.Date(i*7)
	case kindDays:
		return c.Anchor() + date.Date(i*int64(g.n))
	}
	step, fiscal, _ := g.monthStep()
	mi := i*step + c.monthOffset(fiscal)
	return date.New(int(floorDiv(mi, 12)), time.Month(floorMod(mi, 12)+1), 1)
}

func (c *Calendar) monthOffset(fiscal bool) int64 {
	if fiscal {
		return c.fiscalOffset
	}
	return 0
}

func (c *Calendar) byIndex(g Grain, i int64) Period {
	return Period{Grain: g, Start: c.startOf(g, i), End: c.startOf(g, i+1)}
}

// Containing returns the period of g that contains the local date d, e.g.
// the month of 14 March 2025 is [2025-03-01, 2025-04-01). It returns the zero
// Period if g is not a valid grain.
func (c *Calendar) Containing(g Grain, d date.Date) Period {
	if !g.valid() {
		return Period{}
	}
	return c.byIndex(g, c.index(g, d))
}

// At returns the period of g that contains the instant t, that is
// Containing(g, c.Date(t)).
func (c *Calendar) At(g Grain, t time.Time) Period {
	return c.Containing(g, c.Date(t))
}

// Next returns the period of p's grain that follows p: Shift(p, 1).
func (c *Calendar) Next(p Period) Period { return c.Shift(p, 1) }

// Prev returns the period of p's grain that precedes p: Shift(p, -1).
func (c *Calendar) Prev(p Period) Period { return c.Shift(p, -1) }

// Shift returns the period n periods of p's grain after p (before it if n is
// negative). A whole period of a fixed-length grain (day, week, custom) moves
// by whole lengths, so a rolling window of 7 days shifts by 7 days; any other
// period, such as a part clipped by Split, is first replaced by the whole
// period of its grain containing p.Start. Shift returns the zero Period if p
// has no valid grain, or if p or the move is beyond about three billion
// years (2^40 days), where the arithmetic of dates would overflow.
func (c *Calendar) Shift(p Period, n int) Period {
	g := p.Grain
	if !g.valid() {
		return Period{}
	}
	if p.Start < -maxShift || p.Start > maxShift || p.End < -maxShift || p.End > maxShift || int64(n) > maxShift || int64(n) < -maxShift {
		return Period{}
	}
	if k := int64(n) * g.longest(); k > maxShift || k < -maxShift {
		return Period{}
	}
	if days, fixed := g.Length(); fixed && p.Days() == days {
		delta := date.Date(int64(n) * int64(days))
		return Period{Grain: g, Start: p.Start + delta, End: p.End + delta}
	}
	return c.byIndex(g, c.index(g, p.Start)+int64(n))
}

// Periods returns the whole periods of g that start in [from, to), in order.
// It fails if g is not a valid grain, if from >= to (the error wraps
// [ErrEmptyRange]) or if there would be more than [MaxPeriods].
func (c *Calendar) Periods(g Grain, from, to date.Date) ([]Period, error) {
	if !g.valid() {
		return nil, fmt.Errorf("periods: invalid grain %q", g.String())
	}
	if from >= to {
		return nil, fmt.Errorf("periods of %s from %s to %s: %w", g, from, to, ErrEmptyRange)
	}
	i0 := c.index(g, from)
	if c.startOf(g, i0) < from {
		i0++
	}
	i1 := c.index(g, to-1) // the last period starting before to
	if i1-i0+1 > MaxPeriods {
		return nil, fmt.Errorf("periods of %s from %s to %s: more than %d periods", g, from, to, MaxPeriods)
	}
	out := make([]Period, 0, max(i1-i0+1, 0))
	for i := i0; i <= i1; i++ {
		out = append(out, c.byIndex(g, i))
	}
	return out, nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 {
	return a - floorDiv(a, b)*b
}

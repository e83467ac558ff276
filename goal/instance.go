package goal

import (
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// Instances returns the goal's periods that overlap the local dates
// [from, to), in order: its fixed range, or the occurrences of its
// recurrence.
func (g *Goal) Instances(cal *period.Calendar, from, to date.Date) ([]period.Period, error) {
	if g.rec == nil {
		if g.fixed.IsZero() || !g.fixed.Overlaps(period.Period{Start: from, End: to}) {
			return nil, nil
		}
		return []period.Period{g.fixed}, nil
	}
	return cal.Occurrences(*g.rec, from, to)
}

// prevInstance returns the occurrence of a recurring goal just before p.
func (g *Goal) prevInstance(cal *period.Calendar, p period.Period) (period.Period, bool) {
	if g.rec == nil {
		return period.Period{}, false
	}
	occ, err := cal.Occurrences(*g.rec, p.Start-1, p.Start)
	if err != nil || len(occ) == 0 || occ[len(occ)-1].End != p.Start {
		return period.Period{}, false
	}
	return occ[len(occ)-1], true
}

// nextInstance returns the occurrence of a recurring goal just after p.
func (g *Goal) nextInstance(cal *period.Calendar, p period.Period) (period.Period, bool) {
	if g.rec == nil {
		return period.Period{}, false
	}
	occ, err := cal.Occurrences(*g.rec, p.End, p.End+1)
	if err != nil || len(occ) == 0 || occ[0].Start != p.End {
		return period.Period{}, false
	}
	return occ[0], true
}

// back returns the period k periods of p's shape before p: the same number
// of days for fixed-length grains (days, weeks, custom), the same number of
// months for the others.
func back(cal *period.Calendar, p period.Period, k int) period.Period {
	if k == 0 {
		return p
	}
	if _, fixed := p.Grain.Length(); fixed {
		n := date.Date(p.Days() * k)
		return period.Period{Grain: p.Grain, Start: p.Start - n, End: p.End - n}
	}
	whole := cal.Containing(p.Grain, p.Start)
	m := len(cal.Split(p, p.Grain))
	s := cal.Shift(whole, -k*m)
	e := cal.Shift(whole, -(k-1)*m)
	return period.Period{Grain: p.Grain, Start: s.Start, End: e.Start}
}

// yearAgo returns the period of p's shape a year before: 52 weeks before for
// weeks (same weekdays), the same dates a year before for days and custom
// periods, and the same months a year before for months, quarters and years.
func yearAgo(cal *period.Calendar, p period.Period) period.Period {
	if _, fixed := p.Grain.Length(); fixed {
		if p.Grain == period.Week {
			return period.Period{Grain: p.Grain, Start: p.Start - 364, End: p.End - 364}
		}
		s := p.Start.AddDate(-1, 0, 0)
		return period.Period{Grain: p.Grain, Start: s, End: s + date.Date(p.Days())}
	}
	whole := cal.Containing(p.Grain, p.Start.AddDate(-1, 0, 0))
	m := len(cal.Split(p, p.Grain))
	return period.Period{Grain: p.Grain, Start: whole.Start, End: cal.Shift(whole, m).Start}
}

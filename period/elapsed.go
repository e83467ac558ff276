package period

import (
	"strconv"
	"time"
)

// A Basis is the way [Calendar.Elapsed] measures how much of a period has
// passed.
type Basis uint8

const (
	// CalendarTime measures real time: the seconds elapsed since the first
	// instant of the period over the seconds in it, so a daylight-saving day
	// counts 23 or 25 hours.
	CalendarTime Basis = iota
	// WorkingTime measures working time: the working hours of the days of
	// the period that are over, plus the elapsed part (in seconds) of the
	// current day's working hours if it is a working day, over the working
	// hours of the period. Every working day counts its hours (see
	// [WorkCalendar.DayHours]), so a shortened day counts less.
	WorkingTime
)

// String returns "calendar" or "working".
func (b Basis) String() string {
	switch b {
	case CalendarTime:
		return "calendar"
	case WorkingTime:
		return "working"
	}
	return "basis(" + strconv.Itoa(int(b)) + ")"
}

// Elapsed returns the exact fraction of p that has passed at the instant t,
// by calendar time or by working time. It is 0 at and before the first
// instant of p, 1 at and after its end, and never decreases as t grows.
// Instants are counted in whole seconds. By working time the fraction stands
// still on days off and reaches 1 at the end of the last working day; a period
// with no working days is 0 before its end and 1 at its end; outside the
// years of the working-day calendar only its weekends apply, as in
// [Calendar.Workdays]: check with c.WorkCalendar().Check first. An empty
// period is 0 before its start and 1 from it on. An unknown basis counts as
// CalendarTime.
func (c *Calendar) Elapsed(p Period, t time.Time, b Basis) Fraction {
	start, end := c.Bounds(p)
	if p.End <= p.Start {
		if t.Before(start) {
			return Fraction{0, 1}
		}
		return Fraction{1, 1}
	}
	if !t.After(start) {
		return Fraction{0, 1}
	}
	if !t.Before(end) {
		return Fraction{1, 1}
	}
	if b != WorkingTime {
		return newFraction(t.Unix()-start.Unix(), end.Unix()-start.Unix())
	}
	minutes := func(d time.Duration) int64 { return int64(d / time.Minute) }
	total := minutes(c.work.WorkingHours(p.Start, p.End))
	if total == 0 {
		return Fraction{0, 1}
	}
	d := c.Date(t)
	done := minutes(c.work.WorkingHours(p.Start, d))
	today := minutes(c.work.hoursOn(d))
	if today == 0 {
		return newFraction(done, total)
	}
	dayStart, dayEnd := c.Midnight(d), c.Midnight(d+1)
	length := dayEnd.Unix() - dayStart.Unix()
	return newFraction(done*length+today*(t.Unix()-dayStart.Unix()), total*length)
}

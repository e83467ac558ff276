package period

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/rickb777/date/v2"
)

// A ShortDay is a working day shorter than a full one, such as a pre-holiday
// day in Russia, one hour shorter (Labour Code of the Russian Federation,
// article 95).
type ShortDay struct {
	Date date.Date
	Name string
	// Hours is the working time of the day, more than 0 and less than a full
	// day. Zero, when the day is given to NewWorkCalendar, means one hour
	// less than a full day.
	Hours time.Duration
}

// DayHours returns the length of a full working day (8 hours unless the
// calendar says otherwise).
func (w *WorkCalendar) DayHours() time.Duration {
	if w == nil || w.day == 0 {
		return DefaultDayHours
	}
	return w.day
}

// Shortened returns the shortened working days, in date order, each with
// its working time.
func (w *WorkCalendar) Shortened() []ShortDay {
	if w == nil {
		return nil
	}
	return slices.Clone(w.shortened)
}

// WorkingHours returns the working time in [from, to): a full day for every
// working day, less on the shortened ones; 0 if the range is empty. Outside
// the calendar's years only the weekends apply (see [WorkCalendar.Check]).
func (w *WorkCalendar) WorkingHours(from, to date.Date) time.Duration {
	if to <= from {
		return 0
	}
	day := w.DayHours()
	total := time.Duration(w.CountWorkdays(from, to)) * day
	if w != nil {
		lo, _ := slices.BinarySearchFunc(w.shortened, from, func(s ShortDay, d date.Date) int { return cmp.Compare(s.Date, d) })
		for _, s := range w.shortened[lo:] {
			if s.Date >= to {
				break
			}
			total -= day - s.Hours
		}
	}
	return total
}

// hoursOn returns the working time of the date d: 0 on a day off.
func (w *WorkCalendar) hoursOn(d date.Date) time.Duration {
	if !w.IsWorkday(d) {
		return 0
	}
	if w != nil {
		if i, ok := slices.BinarySearchFunc(w.shortened, d, func(s ShortDay, d date.Date) int { return cmp.Compare(s.Date, d) }); ok {
			return w.shortened[i].Hours
		}
	}
	return w.DayHours()
}

// hoursText writes a working time in hours for messages: "8", "7.5", or
// "7h20m" when the hours are not a short decimal.
func hoursText(d time.Duration) string {
	m := int64(d / time.Minute)
	switch {
	case d%time.Minute != 0:
		return d.String()
	case m%60 == 0:
		return strconv.FormatInt(m/60, 10)
	case m*100%60 == 0:
		sign := ""
		if m < 0 {
			sign, m = "-", -m
		}
		cents := m * 100 / 60
		s := strconv.FormatInt(cents/100, 10) + "." + strconv.FormatInt(100+cents%100, 10)[1:]
		if s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		return sign + s
	}
	return (time.Duration(m/60)*time.Hour + time.Duration(m%60)*time.Minute).String()
}

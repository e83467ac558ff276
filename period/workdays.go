package period

import (
	"cmp"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"time"

	"github.com/rickb777/date/v2"
)

// A NamedDay is a date with an optional name, such as a public holiday.
type NamedDay struct {
	Date date.Date `json:"date" yaml:"date"`
	Name string    `json:"name,omitempty" yaml:"name,omitempty"`
}

// A WorkCalendar says which days are working days: every day except the
// weekly weekend days and the holidays, plus the transferred working days (a
// weekend day that is worked, such as Saturday 1 November 2025 in Russia). A
// holiday on a weekend day is simply a day off.
//
// A WorkCalendar is immutable and safe for concurrent use. A nil
// *WorkCalendar, like the zero WorkCalendar, is the default: Saturday and
// Sunday off, no holidays.
type WorkCalendar struct {
	name     string
	source   string
	weekend  uint8      // bit d set: time.Weekday(d) is a weekend day
	custom   bool       // weekend was set; otherwise Saturday and Sunday
	holidays []NamedDay // sorted by date, unique
	workdays []NamedDay // sorted by date, unique, disjoint from holidays
	// exceptions are the dates whose status differs from the weekly rule,
	// sorted: a holiday on a weekday (work=false), a working weekend day
	// (work=true).
	exceptions []exception
}

type exception struct {
	d    date.Date
	work bool
}

const defaultWeekend = 1<<time.Saturday | 1<<time.Sunday

// NewWorkCalendar returns a working-day calendar named name. weekends lists
// the weekly days off; nil means Saturday and Sunday, and an empty non-nil
// slice means none. holidays are days off and workdays are transferred working
// days; a date may not be listed twice nor in both lists. Every problem is
// reported, each naming its place, e.g. "holidays[2]: duplicate date
// 2025-01-01 (also holidays[0])".
func NewWorkCalendar(name string, weekends []time.Weekday, holidays, workdays []NamedDay) (*WorkCalendar, error) {
	w := &WorkCalendar{name: name, weekend: defaultWeekend}
	var errs []error
	if weekends != nil {
		w.custom = true
		w.weekend = 0
		for i, d := range weekends {
			if d < time.Sunday || d > time.Saturday {
				errs = append(errs, fmt.Errorf("weekends[%d]: not a weekday: %d", i, int(d)))
				continue
			}
			w.weekend |= 1 << d
		}
		if w.weekend == 0x7f {
			errs = append(errs, errors.New("weekends: every day of the week is a weekend day"))
		}
	}
	seen := map[date.Date]string{}
	check := func(list string, days []NamedDay) {
		for i, d := range days {
			place := fmt.Sprintf("%s[%d]", list, i)
			if d.Date == date.Zero {
				errs = append(errs, fmt.Errorf("%s: missing date", place))
				continue
			}
			if other, dup := seen[d.Date]; dup {
				errs = append(errs, fmt.Errorf("%s: duplicate date %s (also %s)", place, d.Date, other))
				continue
			}
			seen[d.Date] = place
		}
	}
	check("holidays", holidays)
	check("workdays", workdays)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	w.holidays = sortedDays(holidays)
	w.workdays = sortedDays(workdays)
	w.index()
	return w, nil
}

func sortedDays(days []NamedDay) []NamedDay {
	out := slices.Clone(days)
	slices.SortFunc(out, func(a, b NamedDay) int { return cmp.Compare(a.Date, b.Date) })
	return out
}

// index computes the exceptions from the lists and the weekend.
func (w *WorkCalendar) index() {
	w.exceptions = w.exceptions[:0]
	for _, h := range w.holidays {
		if !w.isWeekend(h.Date) {
			w.exceptions = append(w.exceptions, exception{d: h.Date})
		}
	}
	for _, x := range w.workdays {
		if w.isWeekend(x.Date) {
			w.exceptions = append(w.exceptions, exception{d: x.Date, work: true})
		}
	}
	slices.SortFunc(w.exceptions, func(a, b exception) int { return cmp.Compare(a.d, b.d) })
}

func (w *WorkCalendar) weekendMask() uint8 {
	if w == nil || !w.custom {
		return defaultWeekend
	}
	return w.weekend
}

func weekday(d date.Date) time.Weekday {
	// date.Zero, 1 January of year 1, is a Monday.
	return time.Weekday(floorMod(int64(d)+1, 7))
}

func (w *WorkCalendar) isWeekend(d date.Date) bool {
	return w.weekendMask()&(1<<weekday(d)) != 0
}

// Name returns the calendar's name.
func (w *WorkCalendar) Name() string {
	if w == nil {
		return ""
	}
	return w.name
}

// Source returns where the calendar's dates come from, such as the law or
// decree they follow; it is empty unless the calendar file gives one.
func (w *WorkCalendar) Source() string {
	if w == nil {
		return ""
	}
	return w.source
}

// Weekends returns the weekly days off, Sunday first.
func (w *WorkCalendar) Weekends() []time.Weekday {
	mask := w.weekendMask()
	var out []time.Weekday
	for d := time.Sunday; d <= time.Saturday; d++ {
		if mask&(1<<d) != 0 {
			out = append(out, d)
		}
	}
	return out
}

// Holidays returns the listed days off, in date order.
func (w *WorkCalendar) Holidays() []NamedDay {
	if w == nil {
		return nil
	}
	return slices.Clone(w.holidays)
}

// Workdays returns the listed transferred working days, in date order.
func (w *WorkCalendar) Workdays() []NamedDay {
	if w == nil {
		return nil
	}
	return slices.Clone(w.workdays)
}

// Years returns, in order, the years in which at least one holiday or
// transferred working day is listed: the years the calendar has data for.
// A plan can warn when a period falls outside them.
func (w *WorkCalendar) Years() []int {
	if w == nil {
		return nil
	}
	var out []int
	for _, list := range [][]NamedDay{w.holidays, w.workdays} {
		for _, d := range list {
			out = append(out, d.Date.Year())
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Holiday returns the name of the listed holiday on d, and whether d is one.
func (w *WorkCalendar) Holiday(d date.Date) (name string, ok bool) {
	if w == nil {
		return "", false
	}
	if i, found := slices.BinarySearchFunc(w.holidays, d, func(h NamedDay, d date.Date) int { return cmp.Compare(h.Date, d) }); found {
		return w.holidays[i].Name, true
	}
	return "", false
}

// IsWorkday reports whether d is a working day.
func (w *WorkCalendar) IsWorkday(d date.Date) bool {
	if w != nil {
		if i, found := slices.BinarySearchFunc(w.exceptions, d, func(e exception, d date.Date) int { return cmp.Compare(e.d, d) }); found {
			return w.exceptions[i].work
		}
	}
	return !w.isWeekend(d)
}

// CountWorkdays returns the number of working days in [from, to); 0 if the
// range is empty.
func (w *WorkCalendar) CountWorkdays(from, to date.Date) int {
	if to <= from {
		return 0
	}
	mask := w.weekendMask()
	n := int64(to - from)
	count := n / 7 * int64(7-bits.OnesCount8(mask))
	for d := from + date.Date(n/7*7); d < to; d++ {
		if mask&(1<<weekday(d)) == 0 {
			count++
		}
	}
	if w != nil {
		lo, _ := slices.BinarySearchFunc(w.exceptions, from, func(e exception, d date.Date) int { return cmp.Compare(e.d, d) })
		for _, e := range w.exceptions[lo:] {
			if e.d >= to {
				break
			}
			if e.work {
				count++
			} else {
				count--
			}
		}
	}
	return int(count)
}

// Merge returns a calendar with w's weekends and the holidays and transferred
// working days of both w and o; where they disagree about a date, o wins. Use
// it to add regional holidays to a national calendar. A nil w or o counts as
// the default calendar.
func (w *WorkCalendar) Merge(o *WorkCalendar) *WorkCalendar {
	m := &WorkCalendar{weekend: defaultWeekend}
	if w != nil {
		m.weekend, m.custom, m.source = w.weekend, w.custom, w.source
	}
	if src := o.Source(); src != "" && src != m.source {
		if m.source != "" {
			m.source += "; "
		}
		m.source += src
	}
	switch {
	case w.Name() == "":
		m.name = o.Name()
	case o.Name() == "":
		m.name = w.Name()
	default:
		m.name = w.Name() + "+" + o.Name()
	}
	type entry struct {
		day     NamedDay
		holiday bool
	}
	byDate := map[date.Date]entry{}
	for _, c := range []*WorkCalendar{w, o} {
		if c == nil {
			continue
		}
		for _, h := range c.holidays {
			byDate[h.Date] = entry{day: h, holiday: true}
		}
		for _, x := range c.workdays {
			byDate[x.Date] = entry{day: x}
		}
	}
	for _, e := range byDate {
		if e.holiday {
			m.holidays = append(m.holidays, e.day)
		} else {
			m.workdays = append(m.workdays, e.day)
		}
	}
	m.holidays = sortedDays(m.holidays)
	m.workdays = sortedDays(m.workdays)
	m.index()
	return m
}

// IsWorkday reports whether the local date d is a working day in the
// calendar's working-day calendar.
func (c *Calendar) IsWorkday(d date.Date) bool { return c.work.IsWorkday(d) }

// Workdays returns the number of working days in p.
func (c *Calendar) Workdays(p Period) int { return c.work.CountWorkdays(p.Start, p.End) }

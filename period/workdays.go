package period

import (
	"cmp"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strings"
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
// holiday on a weekend day is simply a day off. A working day lasts
// [WorkCalendar.DayHours] (8 hours unless the calendar says otherwise), except
// the shortened days, such as the pre-holiday days of Russia, one hour
// shorter.
//
// A calendar with listed days covers the years it declares, or else the
// years of its listed days ([WorkCalendar.Years]): outside them it does not
// know the holidays, and [WorkCalendar.Check] reports an [*OutsideError]
// unless the calendar falls back to its weekends ([WeekendsFallback]).
// IsWorkday, CountWorkdays and WorkingHours answer for every date, by the
// weekly rule outside the years: the engines of goalkit call Check first.
//
// A WorkCalendar is immutable and safe for concurrent use. A nil
// *WorkCalendar, like the zero WorkCalendar, is the default: Saturday and
// Sunday off, no holidays, 8-hour days, every year covered.
type WorkCalendar struct {
	name     string
	source   string
	weekend  uint8         // bit d set: time.Weekday(d) is a weekend day
	custom   bool          // weekend was set; otherwise Saturday and Sunday
	day      time.Duration // a full working day; 0: 8 hours
	holidays []NamedDay    // sorted by date, unique
	workdays []NamedDay    // sorted by date, unique, disjoint from holidays
	// shortened are sorted, unique working days with 0 < Hours < day.
	shortened []ShortDay
	// years are the covered years, sorted and unique; nil: every year.
	years    []int
	fallback Fallback
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

// DefaultDayHours is the length of a working day unless a calendar says
// otherwise.
const DefaultDayHours = 8 * time.Hour

// A WorkOption sets what a working-day calendar made by [NewWorkCalendar]
// holds beyond its days off: shortened days, the length of a working day,
// the years it covers and what it does outside them.
type WorkOption func(*workConfig)

type workConfig struct {
	shortened   []ShortDay
	day         time.Duration
	first, last int
	fallback    Fallback
}

// WithShortened lists the shortened working days, such as pre-holiday days.
// A day whose Hours is zero is one hour shorter than a full day.
func WithShortened(days ...ShortDay) WorkOption {
	return func(c *workConfig) { c.shortened = append(c.shortened, days...) }
}

// WithDayHours sets the length of a full working day, more than 0 and at
// most 24 hours in whole minutes (default [DefaultDayHours]). It weighs the
// days of [Calendar.Elapsed] by working time and the hours of
// [WorkCalendar.WorkingHours].
func WithDayHours(d time.Duration) WorkOption {
	return func(c *workConfig) { c.day = d }
}

// WithYears declares the years the calendar covers, first to last
// inclusive. Without it a calendar covers the years of its listed days.
func WithYears(first, last int) WorkOption {
	return func(c *workConfig) { c.first, c.last = first, last }
}

// WithFallback says what the calendar does outside its years: by default
// ([NoFallback]) a date there is an error; with [WeekendsFallback] only the
// weekends apply.
func WithFallback(f Fallback) WorkOption {
	return func(c *workConfig) { c.fallback = f }
}

// NewWorkCalendar returns a working-day calendar named name. weekends lists
// the weekly days off; nil means Saturday and Sunday, and an empty non-nil
// slice means none. holidays are days off and workdays are transferred working
// days; a date may not be listed twice nor in both lists. The options add
// shortened days, the length of a working day and the years covered. Every
// problem is reported, each naming its place, e.g. "holidays[2]: duplicate
// date 2025-01-01 (also holidays[0])".
func NewWorkCalendar(name string, weekends []time.Weekday, holidays, workdays []NamedDay, opts ...WorkOption) (*WorkCalendar, error) {
	var cfg workConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
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
	w.setDays(holidays, workdays)
	var declared *[2]int
	if cfg.first != 0 || cfg.last != 0 {
		declared = &[2]int{cfg.first, cfg.last}
	}
	lists := dayLists{holidays: holidays, workdays: workdays, shortened: cfg.shortened}
	w.complete(lists, cfg.day, declared, cfg.fallback, func(list string, i int, msg string) {
		place := list
		if i >= 0 {
			place = fmt.Sprintf("%s[%d]", list, i)
		}
		errs = append(errs, fmt.Errorf("%s: %s", place, msg))
	}, func(list string, i int) string { return fmt.Sprintf("%s[%d]", list, i) })
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return w, nil
}

// dayLists are the listed days of a calendar, in the order given.
type dayLists struct {
	holidays, workdays []NamedDay
	shortened          []ShortDay
}

// complete checks and sets what comes after the days off, on a calendar
// whose holidays and workdays are indexed: the length of a day, the
// shortened days, the years covered and the fallback. report adds a
// problem at entry i of a list ("holidays", "workdays", "shortened"), or
// at a key ("hours", "years", "outside") with i < 0; place names an entry
// for a message ("shortened[2]", "line 7").
func (w *WorkCalendar) complete(l dayLists, day time.Duration, declared *[2]int, fallback Fallback,
	report func(list string, i int, msg string), place func(list string, i int) string) {
	if day != 0 && (day <= 0 || day > 24*time.Hour || day%time.Minute != 0) {
		report("hours", -1, fmt.Sprintf("a working day must last more than 0 and at most 24 hours in whole minutes, got %s", day))
		day = 0
	}
	w.day = day
	full := w.DayHours()
	switch fallback {
	case NoFallback, WeekendsFallback:
		w.fallback = fallback
	default:
		report("outside", -1, fmt.Sprintf("unknown fallback %d (want error or weekends)", int(fallback)))
	}

	holiday := map[date.Date]int{}
	for i, h := range l.holidays {
		holiday[h.Date] = i
	}
	seen := map[date.Date]int{}
	for i, s := range l.shortened {
		switch {
		case s.Date == date.Zero:
			report("shortened", i, "missing date")
			continue
		case seen[s.Date] > 0:
			report("shortened", i, fmt.Sprintf("duplicate date %s (also %s)", s.Date, place("shortened", seen[s.Date]-1)))
			continue
		}
		seen[s.Date] = i + 1
		if j, ok := holiday[s.Date]; ok {
			report("shortened", i, fmt.Sprintf("%s is listed both as a holiday (%s) and as a shortened day", s.Date, place("holidays", j)))
			continue
		}
		if !w.IsWorkday(s.Date) {
			report("shortened", i, fmt.Sprintf("%s is a %s, not a working day: list it in workdays too if it is worked",
				s.Date, strings.ToLower(weekday(s.Date).String())))
			continue
		}
		if s.Hours == 0 {
			s.Hours = full - time.Hour
			if s.Hours <= 0 {
				report("shortened", i, fmt.Sprintf("one hour less than a %s-hour day leaves no working time: give the hours", hoursText(full)))
				continue
			}
		}
		if s.Hours <= 0 || s.Hours >= full || s.Hours%time.Minute != 0 {
			report("shortened", i, fmt.Sprintf("hours %s must be more than 0 and less than the working day (%s) in whole minutes",
				hoursText(s.Hours), hoursText(full)))
			continue
		}
		w.shortened = append(w.shortened, s)
	}
	slices.SortFunc(w.shortened, func(a, b ShortDay) int { return cmp.Compare(a.Date, b.Date) })

	type listed struct {
		list string
		i    int
		d    date.Date
	}
	var all []listed
	for i, h := range l.holidays {
		all = append(all, listed{"holidays", i, h.Date})
	}
	for i, x := range l.workdays {
		all = append(all, listed{"workdays", i, x.Date})
	}
	for i, s := range l.shortened {
		all = append(all, listed{"shortened", i, s.Date})
	}
	if declared != nil {
		first, last := declared[0], declared[1]
		if first < 1 || last > 9999 || first > last {
			report("years", -1, fmt.Sprintf("years must run from a first to a last year, within 1 to 9999, got %d to %d", first, last))
			return
		}
		w.years = make([]int, 0, last-first+1)
		for y := first; y <= last; y++ {
			w.years = append(w.years, y)
		}
		for _, e := range all {
			if y := e.d.Year(); e.d != date.Zero && (y < first || y > last) {
				report(e.list, e.i, fmt.Sprintf("%s is outside the declared %s", e.d, yearsText(w.years)))
			}
		}
		return
	}
	for _, e := range all {
		if e.d != date.Zero {
			w.years = append(w.years, e.d.Year())
		}
	}
	slices.Sort(w.years)
	w.years = slices.Compact(w.years)
}

// setDays keeps the holidays and working days of the calendar, each sorted
// by date, and indexes its exceptions from them.
func (w *WorkCalendar) setDays(holidays, workdays []NamedDay) {
	w.holidays = sortedDays(holidays)
	w.workdays = sortedDays(workdays)
	w.index()
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

// IsWorkday reports whether d is a working day; outside the calendar's
// years by the weekly rule alone (see Check).
func (w *WorkCalendar) IsWorkday(d date.Date) bool {
	if w != nil {
		if i, found := slices.BinarySearchFunc(w.exceptions, d, func(e exception, d date.Date) int { return cmp.Compare(e.d, d) }); found {
			return w.exceptions[i].work
		}
	}
	return !w.isWeekend(d)
}

// CountWorkdays returns the number of working days in [from, to); 0 if the
// range is empty. Outside the calendar's years only the weekends apply:
// call Check first.
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

// Merge returns a calendar with w's weekends and length of a working day,
// and the holidays, transferred working days and shortened days of both w
// and o; where they disagree about a date, o wins, and a shortened day that
// is no longer a working day is dropped. Use it to add regional holidays to
// a national calendar. The result covers the years both cover (a calendar
// that covers every year, or falls back to its weekends, does not narrow
// them) and falls back to weekends only if every calendar that narrows the
// years does. A nil w or o counts as the default calendar.
func (w *WorkCalendar) Merge(o *WorkCalendar) *WorkCalendar {
	m := &WorkCalendar{weekend: defaultWeekend}
	if w != nil {
		m.weekend, m.custom, m.source, m.day = w.weekend, w.custom, w.source, w.day
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
	short := map[date.Date]ShortDay{}
	for _, c := range []*WorkCalendar{w, o} {
		if c == nil {
			continue
		}
		for _, h := range c.holidays {
			byDate[h.Date] = entry{day: h, holiday: true}
			delete(short, h.Date)
		}
		for _, x := range c.workdays {
			byDate[x.Date] = entry{day: x}
		}
		for _, s := range c.shortened {
			short[s.Date] = s
		}
	}
	for _, e := range byDate {
		if e.holiday {
			m.holidays = append(m.holidays, e.day)
		} else {
			m.workdays = append(m.workdays, e.day)
		}
	}
	m.setDays(m.holidays, m.workdays)
	full := m.DayHours()
	for _, s := range short {
		if m.IsWorkday(s.Date) && s.Hours < full {
			m.shortened = append(m.shortened, s)
		}
	}
	slices.SortFunc(m.shortened, func(a, b ShortDay) int { return cmp.Compare(a.Date, b.Date) })
	m.fallback = WeekendsFallback
	narrowed := false
	for _, c := range []*WorkCalendar{w, o} {
		if c == nil || c.years == nil || c.fallback == WeekendsFallback {
			continue
		}
		m.fallback = NoFallback
		if !narrowed {
			m.years, narrowed = slices.Clone(c.years), true
			continue
		}
		m.years = slices.DeleteFunc(m.years, func(y int) bool {
			_, ok := slices.BinarySearch(c.years, y)
			return !ok
		})
	}
	if !narrowed {
		// Every calendar covers every year or falls back: keep the years of
		// those that list days, falling back outside them.
		for _, c := range []*WorkCalendar{w, o} {
			if c != nil && c.years != nil {
				m.years = append(m.years, c.years...)
			}
		}
		slices.Sort(m.years)
		m.years = slices.Compact(m.years)
		if m.years == nil {
			m.fallback = NoFallback
		}
	} else if m.years == nil {
		m.years = []int{}
	}
	return m
}

// IsWorkday reports whether the local date d is a working day in the
// calendar's working-day calendar.
func (c *Calendar) IsWorkday(d date.Date) bool { return c.work.IsWorkday(d) }

// Workdays returns the number of working days in p (a shortened day counts
// as one). Outside the years of the working-day calendar only the weekends
// apply: check with c.WorkCalendar().Check(p.Start, p.End) first.
func (c *Calendar) Workdays(p Period) int { return c.work.CountWorkdays(p.Start, p.End) }

package period

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// listModel is a working-day calendar as its lists say it, read by the
// reference: a date is off when it is a holiday, worked when it is a
// transferred working day, else by its weekday (time.Time's, of the civil
// date); a worked day lasts its shortened hours or a full day.
type listModel struct {
	weekends map[time.Weekday]bool
	holidays map[date.Date]bool
	workdays map[date.Date]bool
	short    map[date.Date]time.Duration
	day      time.Duration
	years    map[int]bool // nil: every year
	fallback bool
}

func (m listModel) works(d date.Date) bool {
	switch {
	case m.holidays[d]:
		return false
	case m.workdays[d]:
		return true
	}
	return !m.weekends[civil(d).Weekday()]
}

func (m listModel) hours(d date.Date) time.Duration {
	if !m.works(d) {
		return 0
	}
	if h, ok := m.short[d]; ok {
		return h
	}
	return m.day
}

// genListCalendar draws a working-day calendar from lists of days in a
// few years between 1900 and 2200, with or without declared years and a
// fallback, and the model of its lists.
func genListCalendar(t *rapid.T) (*WorkCalendar, listModel) {
	m := listModel{weekends: map[time.Weekday]bool{}, holidays: map[date.Date]bool{}, workdays: map[date.Date]bool{}, short: map[date.Date]time.Duration{}}
	var weekends []time.Weekday
	if rapid.IntRange(0, 3).Draw(t, "default weekends") == 0 {
		m.weekends[time.Saturday], m.weekends[time.Sunday] = true, true
	} else {
		weekends = []time.Weekday{}
		for d := time.Sunday; d <= time.Saturday; d++ {
			if len(weekends) < 6 && rapid.IntRange(0, 2).Draw(t, "weekend "+d.String()) == 0 {
				weekends = append(weekends, d)
				m.weekends[d] = true
			}
		}
	}
	first := rapid.IntRange(1900, 2198).Draw(t, "first year")
	last := first + rapid.IntRange(0, 2).Draw(t, "more years")
	from, to := date.New(first, time.January, 1), date.New(last+1, time.January, 1)
	day := func(label string) date.Date {
		return date.Date(rapid.Int64Range(int64(from), int64(to)-1).Draw(t, label))
	}
	var holidays, workdays []NamedDay
	for range rapid.IntRange(0, 40).Draw(t, "listed days") {
		x := day("listed day")
		if m.holidays[x] || m.workdays[x] {
			continue
		}
		if rapid.Bool().Draw(t, "holiday") {
			m.holidays[x] = true
			holidays = append(holidays, NamedDay{Date: x})
		} else {
			m.workdays[x] = true
			workdays = append(workdays, NamedDay{Date: x})
		}
	}
	m.day = time.Duration(rapid.IntRange(61, 24*60).Draw(t, "day minutes")) * time.Minute
	var short []ShortDay
	for range rapid.IntRange(0, 15).Draw(t, "shortened days") {
		x := day("shortened day")
		if _, dup := m.short[x]; dup || !m.works(x) {
			continue
		}
		var h time.Duration // zero: one hour less
		if rapid.Bool().Draw(t, "hours given") {
			h = time.Duration(rapid.IntRange(1, int(m.day/time.Minute)-1).Draw(t, "shortened minutes")) * time.Minute
			m.short[x] = h
		} else {
			m.short[x] = m.day - time.Hour
		}
		short = append(short, ShortDay{Date: x, Hours: h})
	}
	opts := []WorkOption{WithDayHours(m.day), WithShortened(short...)}
	if rapid.Bool().Draw(t, "declared years") {
		opts = append(opts, WithYears(first, last))
		m.years = map[int]bool{}
		for y := first; y <= last; y++ {
			m.years[y] = true
		}
	} else if len(holidays)+len(workdays)+len(short) > 0 {
		m.years = map[int]bool{}
		for x := range m.holidays {
			m.years[x.Year()] = true
		}
		for x := range m.workdays {
			m.years[x.Year()] = true
		}
		for x := range m.short {
			m.years[x.Year()] = true
		}
	}
	if rapid.Bool().Draw(t, "fallback") {
		opts = append(opts, WithFallback(WeekendsFallback))
		m.fallback = true
	}
	w, err := NewWorkCalendar("lists", weekends, holidays, workdays, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return w, m
}

// IsWorkday, CountWorkdays, WorkingHours and Check answer what the
// calendar's lists say day by day, for ranges anywhere from 1900 to 2200
// (most near the listed years): a holiday is off (on a weekend too), a
// transferred working day is worked, any other day by its weekday; the
// hours are a full day's or the shortened day's own; an empty range counts
// nothing; Check names the first date of the range in a year the calendar
// does not cover, unless it falls back to its weekends.
func TestPropWorkdaysByLists(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w, m := genListCalendar(t)
		var from date.Date
		if rapid.Bool().Draw(t, "far") {
			from = date.Date(rapid.Int64Range(int64(date.New(1900, 1, 1)), int64(date.New(2200, 12, 31))).Draw(t, "from"))
		} else {
			// Around the first listed or declared year.
			first := 2200
			for y := range m.years {
				first = min(first, y)
			}
			from = date.New(first, 1, 1) + date.Date(rapid.IntRange(-400, 1100).Draw(t, "from near"))
		}
		to := from + date.Date(rapid.IntRange(-10, 800).Draw(t, "length"))
		count, hours := 0, time.Duration(0)
		var outside date.Date
		for x := from; x < to; x++ {
			if m.works(x) {
				count++
			}
			hours += m.hours(x)
			if w.IsWorkday(x) != m.works(x) {
				t.Fatalf("IsWorkday(%s) = %v, want %v", x, w.IsWorkday(x), m.works(x))
			}
			if outside == 0 && m.years != nil && !m.years[x.Year()] && !m.fallback {
				outside = x
			}
		}
		if got := w.CountWorkdays(from, to); got != count {
			t.Fatalf("CountWorkdays(%s, %s) = %d, want %d", from, to, got, count)
		}
		if got := w.WorkingHours(from, to); got != hours {
			t.Fatalf("WorkingHours(%s, %s) = %v, want %v", from, to, got, hours)
		}
		err := w.Check(from, to)
		var oe *OutsideError
		switch {
		case outside == 0 && err != nil:
			t.Fatalf("Check(%s, %s) = %v, want nil", from, to, err)
		case outside != 0 && (!errors.As(err, &oe) || oe.Date != outside || oe.Calendar != "lists"):
			t.Fatalf("Check(%s, %s) = %v, want an OutsideError at %s", from, to, err, outside)
		}
	})
}

// refMidnight is the first instant of the local date d in loc, found by a
// scan (quarter hours, then seconds), not by the package's search.
func refMidnight(loc *time.Location, d date.Date) time.Time {
	local := func(u int64) date.Date { return date.NewAt(time.Unix(u, 0).In(loc)) }
	u := civil(d).Unix() - 16*3600 // no zone is 16 hours ahead
	for local(u+900) < d {
		u += 900
	}
	for local(u) < d {
		u++
	}
	return time.Unix(u, 0)
}

// Elapsed, by calendar and working time, in zones whose clocks move by
// half hours, 45 minutes, two hours, backwards in winter or at midnight,
// or that skipped a day (Chatham, Lord Howe, Havana, Santiago, Sao Paulo,
// Casablanca, Dublin, Troll, Apia, Tehran; Kathmandu's offset of 5:41:16
// until 1920), from 1900 to 2200, is what a walk over the period's days with
// the lists' hours and midnights found by a scan says: the seconds since
// the first instant over the period's seconds; the working minutes of the
// days before t's date plus today's in the share of today's seconds
// passed, over the period's.
func TestPropElapsedByListsAndScan(t *testing.T) {
	var zones []*time.Location
	for _, z := range []string{"Pacific/Chatham", "Australia/Lord_Howe", "America/Havana", "America/Santiago", "Asia/Kathmandu",
		"America/Sao_Paulo", "Africa/Casablanca", "Europe/Dublin", "Antarctica/Troll", "Pacific/Apia", "Asia/Tehran"} {
		loc, err := time.LoadLocation(z)
		if err != nil {
			t.Fatal(err)
		}
		zones = append(zones, loc)
	}
	rapid.Check(t, func(t *rapid.T) {
		w, m := genListCalendar(t)
		loc := rapid.SampledFrom(zones).Draw(t, "zone")
		c, err := NewCalendar(loc, WithWorkdays(w), WithFiscalStart(time.Month(rapid.IntRange(1, 12).Draw(t, "fiscal"))))
		if err != nil {
			t.Fatal(err)
		}
		gr := rapid.SampledFrom([]Grain{Day, Week, Month, Quarter, FiscalQuarter, Days(10)}).Draw(t, "grain")
		var x date.Date
		if rapid.Bool().Draw(t, "near a transition") {
			// Near the DST changes of the years with rules: March, April,
			// September to November.
			y := rapid.IntRange(1980, 2200).Draw(t, "year")
			mo := rapid.SampledFrom([]time.Month{time.March, time.April, time.September, time.October, time.November}).Draw(t, "month")
			x = date.New(y, mo, rapid.IntRange(1, 28).Draw(t, "day"))
		} else {
			x = date.Date(rapid.Int64Range(int64(date.New(1900, 1, 1)), int64(date.New(2200, 12, 1))).Draw(t, "date"))
		}
		p := c.Containing(gr, x)
		start, end := refMidnight(loc, p.Start), refMidnight(loc, p.End)
		if s, e := c.Bounds(p); !s.Equal(start) || !e.Equal(end) {
			t.Fatalf("Bounds(%v) = %s, %s; want %s, %s", p, s, e, start, end)
		}
		at := time.Unix(rapid.Int64Range(start.Unix()-3600, end.Unix()+3600).Draw(t, "t"), 0)
		basis := rapid.SampledFrom([]Basis{CalendarTime, WorkingTime}).Draw(t, "basis")
		want := refElapsed(start, end, at, basis, func(visit func(minutes, dayStart, dayEnd int64)) {
			for d := p.Start; d < p.End; d++ {
				visit(int64(m.hours(d)/time.Minute), refMidnight(loc, d).Unix(), refMidnight(loc, d+1).Unix())
			}
		})
		got := c.Elapsed(p, at, basis)
		if got.Den <= 0 || big.NewRat(got.Num, got.Den).Cmp(want) != 0 {
			t.Fatalf("Elapsed(%v, %s, %s) in %s = %v, want %s", p, at.In(loc), basis, loc, got, want.RatString())
		}
	})
}

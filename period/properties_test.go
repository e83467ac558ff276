package period

import (
	"slices"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// gens holds the generators of the property tests. Zones are loaded once
// per test, not in a package variable.
type gens struct {
	zones []*time.Location
	works []*WorkCalendar
}

func newGens(t *testing.T) *gens {
	g := &gens{works: []*WorkCalendar{nil}}
	for _, z := range []string{"UTC", "Europe/Berlin", "America/New_York", "Europe/Moscow",
		"Asia/Kolkata", "America/Santiago", "Australia/Lord_Howe", "Pacific/Apia", "America/Havana"} {
		loc, err := time.LoadLocation(z)
		if err != nil {
			t.Fatal(err)
		}
		g.zones = append(g.zones, loc)
	}
	for _, id := range BuiltinWorkCalendars() {
		w, err := BuiltinWorkCalendar(id)
		if err != nil {
			t.Fatal(err)
		}
		g.works = append(g.works, w)
	}
	return g
}

func (g *gens) date(t *rapid.T, label string) date.Date {
	// Most draws near today, where the holiday data and zone rules live.
	if rapid.Bool().Draw(t, label+" near") {
		return date.Date(rapid.Int64Range(int64(date.New(2023, 1, 1)), int64(date.New(2028, 1, 1))).Draw(t, label))
	}
	return date.Date(rapid.Int64Range(int64(date.New(1900, time.January, 1)), int64(date.New(2200, time.December, 31))).Draw(t, label))
}

func (g *gens) grain(t *rapid.T, label string) Grain {
	if rapid.IntRange(0, 7).Draw(t, label+" custom") == 0 {
		return Days(rapid.IntRange(2, 60).Draw(t, label+" days"))
	}
	return rapid.SampledFrom([]Grain{Day, Week, Month, Quarter, Year, FiscalQuarter, FiscalYear}).Draw(t, label)
}

func (g *gens) workCalendar(t *rapid.T) *WorkCalendar {
	if rapid.Bool().Draw(t, "random work calendar") {
		return g.works[rapid.IntRange(0, len(g.works)-1).Draw(t, "work calendar")]
	}
	weekends := []time.Weekday{}
	for d := time.Sunday; d <= time.Saturday; d++ {
		if len(weekends) < 6 && rapid.IntRange(0, 3).Draw(t, "weekend "+d.String()) == 0 {
			weekends = append(weekends, d)
		}
	}
	seen := map[date.Date]bool{}
	var holidays, workdays []NamedDay
	for range rapid.IntRange(0, 30).Draw(t, "special days") {
		day := date.Date(rapid.Int64Range(int64(date.New(2024, 1, 1)), int64(date.New(2027, 1, 1))).Draw(t, "special day"))
		if seen[day] {
			continue
		}
		seen[day] = true
		if rapid.Bool().Draw(t, "holiday") {
			holidays = append(holidays, NamedDay{Date: day})
		} else {
			workdays = append(workdays, NamedDay{Date: day})
		}
	}
	base, err := NewWorkCalendar("random", weekends, holidays, workdays)
	if err != nil {
		t.Fatal(err)
	}
	// Shortened days on some of its working days, of a random length.
	day := time.Duration(rapid.IntRange(2, 24*60).Draw(t, "day minutes")) * time.Minute
	var short []ShortDay
	for range rapid.IntRange(0, 20).Draw(t, "shortened days") {
		sd := date.Date(rapid.Int64Range(int64(date.New(2024, 1, 1)), int64(date.New(2027, 1, 1))).Draw(t, "shortened day"))
		if seen[sd] || !base.IsWorkday(sd) {
			continue
		}
		seen[sd] = true
		minutes := rapid.IntRange(0, int(day/time.Minute)-1).Draw(t, "shortened minutes")
		short = append(short, ShortDay{Date: sd, Hours: time.Duration(minutes) * time.Minute})
	}
	fallback := rapid.SampledFrom([]Fallback{NoFallback, WeekendsFallback}).Draw(t, "fallback")
	w, err := NewWorkCalendar("random", weekends, holidays, workdays, WithDayHours(day), WithShortened(short...), WithFallback(fallback))
	if err != nil {
		if len(short) > 0 && day <= time.Hour {
			return base // the default shortening leaves nothing of a one-hour day
		}
		t.Fatal(err)
	}
	return w
}

func (g *gens) calendar(t *rapid.T) *Calendar {
	loc := g.zones[rapid.IntRange(0, len(g.zones)-1).Draw(t, "zone")]
	c, err := NewCalendar(loc,
		WithWeekStart(rapid.SampledFrom([]time.Weekday{time.Monday, time.Sunday}).Draw(t, "week start")),
		WithFiscalStart(time.Month(rapid.IntRange(1, 12).Draw(t, "fiscal start"))),
		WithAnchor(g.date(t, "anchor")),
		WithWorkdays(g.workCalendar(t)),
	)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// period draws the period of a random grain (drawn as label) that holds a
// random day.
func (g *gens) period(t *rapid.T, c *Calendar, label string) Period {
	return c.Containing(g.grain(t, label), g.date(t, "day"))
}

// checkCalendars checks prop on random calendars.
func checkCalendars(t *testing.T, prop func(t *rapid.T, g *gens, c *Calendar)) {
	g := newGens(t)
	rapid.Check(t, func(t *rapid.T) { prop(t, g, g.calendar(t)) })
}

// instant draws an instant within a few days around [from, to).
func (g *gens) instant(t *rapid.T, c *Calendar, from, to date.Date, label string) time.Time {
	lo := c.Midnight(from - 2).Unix()
	hi := c.Midnight(to + 2).Unix()
	return time.Unix(rapid.Int64Range(lo, hi).Draw(t, label), 0)
}

func TestPropSplitTiles(t *testing.T) {
	checkCalendars(t, func(t *rapid.T, g *gens, c *Calendar) {
		parent := g.period(t, c, "parent grain")
		fine := g.grain(t, "part grain")
		parts := c.Split(parent, fine)
		if len(parts) == 0 {
			t.Fatalf("no parts of %v", parent)
		}
		if parts[0].Start != parent.Start || parts[len(parts)-1].End != parent.End {
			t.Fatalf("parts %v do not span %v", parts, parent)
		}
		for i, p := range parts {
			if p.Grain != fine || p.Start >= p.End {
				t.Fatalf("part %d: %v", i, p)
			}
			if i > 0 && parts[i-1].End != p.Start {
				t.Fatalf("gap or overlap between %v and %v", parts[i-1], p)
			}
			// Each part is its whole period clipped to the parent.
			whole := c.Containing(fine, p.Start)
			if max(whole.Start, parent.Start) != p.Start || min(whole.End, parent.End) != p.End {
				t.Fatalf("part %v is not %v clipped to %v", p, whole, parent)
			}
		}
	})
}

func TestPropContainingInstant(t *testing.T) {
	checkCalendars(t, func(t *rapid.T, g *gens, c *Calendar) {
		day := g.date(t, "day")
		instant := g.instant(t, c, day, day+1, "instant")
		gr := g.grain(t, "grain")
		p := c.At(gr, instant)
		start, end := c.Bounds(p)
		if instant.Before(start) || !instant.Before(end) {
			t.Fatalf("%v [%s, %s) does not contain %s", p, start, end, instant)
		}
		if !p.Contains(c.Date(instant)) || p.Start >= p.End || p.Grain != gr {
			t.Fatalf("%v does not contain %s", p, c.Date(instant))
		}
		if c.Containing(gr, p.Start) != p || c.Containing(gr, p.End-1) != p {
			t.Fatalf("%v is not the period of its own days", p)
		}
	})
}

func TestPropNextPrev(t *testing.T) {
	checkCalendars(t, func(t *rapid.T, g *gens, c *Calendar) {
		p := g.period(t, c, "grain")
		if got := c.Next(c.Prev(p)); got != p {
			t.Fatalf("Next(Prev(%v)) = %v", p, got)
		}
		if got := c.Prev(c.Next(p)); got != p {
			t.Fatalf("Prev(Next(%v)) = %v", p, got)
		}
		if c.Next(p).Start != p.End || c.Prev(p).End != p.Start {
			t.Fatalf("neighbours of %v: %v, %v", p, c.Prev(p), c.Next(p))
		}
		n := rapid.IntRange(-30, 30).Draw(t, "n")
		q := p
		for i := 0; i < n; i++ {
			q = c.Next(q)
		}
		for i := 0; i > n; i-- {
			q = c.Prev(q)
		}
		if got := c.Shift(p, n); got != q {
			t.Fatalf("Shift(%v, %d) = %v, want %v", p, n, got, q)
		}
	})
}

func TestPropLabelRoundTrip(t *testing.T) {
	checkCalendars(t, func(t *rapid.T, g *gens, c *Calendar) {
		var p Period
		if rapid.IntRange(0, 5).Draw(t, "rolling") == 0 {
			p = c.Rolling(rapid.IntRange(1, 400).Draw(t, "days"), c.Midnight(g.date(t, "day")))
		} else {
			p = g.period(t, c, "grain")
		}
		label := c.Label(p)
		back, err := c.ParseLabel(label)
		if err != nil || back != p {
			t.Fatalf("ParseLabel(Label(%v) = %q) = %v, %v", p, label, back, err)
		}
	})
}

func TestPropElapsed(t *testing.T) {
	checkCalendars(t, func(t *rapid.T, g *gens, c *Calendar) {
		p := g.period(t, c, "grain")
		basis := rapid.SampledFrom([]Basis{CalendarTime, WorkingTime}).Draw(t, "basis")
		start, end := c.Bounds(p)
		zero, one := Fraction{0, 1}, Fraction{1, 1}
		if got := c.Elapsed(p, start, basis); got != zero {
			t.Fatalf("at the start: %v", got)
		}
		if got := c.Elapsed(p, end, basis); got != one {
			t.Fatalf("at the end: %v", got)
		}
		t1 := g.instant(t, c, p.Start, p.End, "t1")
		t2 := t1.Add(time.Duration(rapid.Int64Range(0, int64(p.Days())*86400).Draw(t, "later")) * time.Second)
		f1, f2 := c.Elapsed(p, t1, basis), c.Elapsed(p, t2, basis)
		for _, f := range []Fraction{f1, f2} {
			if f.Den <= 0 || f.Num < 0 || f.Num > f.Den {
				t.Fatalf("out of range: %v", f)
			}
		}
		if f1.Cmp(f2) > 0 {
			t.Fatalf("decreased: %v at %s, %v at %s", f1, t1, f2, t2)
		}
	})
}

func TestPropWorkdays(t *testing.T) {
	checkCalendars(t, func(t *rapid.T, g *gens, c *Calendar) {
		p := g.period(t, c, "grain")
		if p.Days() > 800 {
			p.End = p.Start + 800
		}
		sum := 0
		for _, part := range c.Split(p, g.grain(t, "part grain")) {
			sum += c.Workdays(part)
		}
		naive := 0
		for day := p.Start; day < p.End; day++ {
			if c.IsWorkday(day) {
				naive++
			}
		}
		if whole := c.Workdays(p); whole != sum || whole != naive {
			t.Fatalf("%v: %d working days, parts add to %d, counted one by one %d", p, whole, sum, naive)
		}
	})
}

// TestPropWorkingHours: the working hours of a period are the sum over its
// days and over its parts, every day has between 0 and a full day's hours,
// and a shortened day is shorter than a full one but never empty.
func TestPropWorkingHours(t *testing.T) {
	checkCalendars(t, func(t *rapid.T, g *gens, c *Calendar) {
		w := c.WorkCalendar()
		p := g.period(t, c, "grain")
		if p.Days() > 800 {
			p.End = p.Start + 800
		}
		var sum time.Duration
		for day := p.Start; day < p.End; day++ {
			h := w.hoursOn(day)
			if h < 0 || h > w.DayHours() || (h == 0) == w.IsWorkday(day) {
				t.Fatalf("%s: %v of a %v day (working: %v)", day, h, w.DayHours(), w.IsWorkday(day))
			}
			sum += h
		}
		var parts time.Duration
		for _, part := range c.Split(p, g.grain(t, "part grain")) {
			parts += w.WorkingHours(part.Start, part.End)
		}
		if whole := w.WorkingHours(p.Start, p.End); whole != sum || whole != parts {
			t.Fatalf("%v: %v working hours, days add to %v, parts to %v", p, whole, sum, parts)
		}
		for _, s := range w.Shortened() {
			if s.Hours <= 0 || s.Hours >= w.DayHours() || !w.IsWorkday(s.Date) {
				t.Fatalf("shortened %v of a %v day", s, w.DayHours())
			}
		}
	})
}

func TestPropPeriods(t *testing.T) {
	checkCalendars(t, func(t *rapid.T, g *gens, c *Calendar) {
		gr := g.grain(t, "grain")
		from := g.date(t, "from")
		to := from + date.Date(rapid.IntRange(1, 1500).Draw(t, "days"))
		ps, err := c.Periods(gr, from, to)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range ps {
			if p.Start < from || p.Start >= to || p != c.Containing(gr, p.Start) || p.Start != c.Containing(gr, p.Start).Start {
				t.Fatalf("period %d: %v", i, p)
			}
			if i > 0 && ps[i-1].End != p.Start {
				t.Fatalf("gap before %v", p)
			}
		}
		// None missing at the edges.
		first := c.Containing(gr, from)
		if first.Start != from {
			first = c.Next(first)
		}
		if first.Start < to && (len(ps) == 0 || ps[0] != first) {
			t.Fatalf("missing first period %v", first)
		}
		if len(ps) > 0 && c.Next(ps[len(ps)-1]).Start < to {
			t.Fatalf("missing a period after %v", ps[len(ps)-1])
		}
	})
}

func TestPropMidnight(t *testing.T) {
	checkCalendars(t, func(t *rapid.T, g *gens, c *Calendar) {
		day := g.date(t, "day")
		m := c.Midnight(day)
		if c.Date(m) != day || c.Date(m.Add(-time.Second)) != day-1 {
			t.Fatalf("Midnight(%s) = %s: dates %s and %s", day, m, c.Date(m), c.Date(m.Add(-time.Second)))
		}
	})
}

func TestPropOccurrences(t *testing.T) {
	checkCalendars(t, func(t *rapid.T, g *gens, c *Calendar) {
		r := Recurrence{
			Grain:  g.grain(t, "grain"),
			Every:  rapid.IntRange(0, 5).Draw(t, "every"),
			Anchor: g.date(t, "anchor"),
			Count:  rapid.IntRange(0, 10).Draw(t, "count"),
		}
		if rapid.Bool().Draw(t, "until") {
			r.Until = r.Anchor + date.Date(rapid.IntRange(-100, 3000).Draw(t, "until days"))
		}
		from := r.Anchor + date.Date(rapid.IntRange(-500, 3000).Draw(t, "from"))
		to := from + date.Date(rapid.IntRange(1, 2000).Draw(t, "length"))
		got, err := c.Occurrences(r, from, to)
		if err != nil {
			t.Fatal(err)
		}
		// Compare with a walk from the anchor.
		var want []Period
		every := max(r.Every, 1)
		p := c.Containing(r.Grain, r.Anchor)
		if n, fixed := r.Grain.Length(); fixed && r.Grain != Week {
			p = Period{Grain: r.Grain, Start: r.Anchor, End: r.Anchor + date.Date(n)} // custom grains start at the anchor
		}
		for k := 0; r.Count == 0 || k < r.Count; k++ {
			if p.Start >= to || (r.Until != 0 && p.Start >= r.Until) {
				break
			}
			occ := p
			occ.End = c.Shift(p, every-1).End
			if occ.End > from {
				want = append(want, occ)
			}
			p = c.Shift(p, every)
		}
		if len(got) != len(want) {
			t.Fatalf("got %v\nwant %v", got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("occurrence %d: got %v, want %v", i, got[i], want[i])
			}
		}
	})
}

// Merge, date by date: a date the later calendar lists is as it says, else
// as the earlier says, else the earlier's weekly rule; a shortened day is
// the later listing's, unless a later holiday took the day, and is kept on
// a working day shorter than the earlier's full day; the years are those
// both cover, where each narrows them.
func TestPropMerge(t *testing.T) {
	g := newGens(t)
	rapid.Check(t, func(t *rapid.T) {
		w, o := g.workCalendar(t), g.workCalendar(t)
		m := w.Merge(o)
		type listing struct {
			listed, holiday bool
			short           time.Duration
		}
		listings := func(c *WorkCalendar) map[date.Date]listing {
			out := map[date.Date]listing{}
			for _, h := range c.Holidays() {
				out[h.Date] = listing{listed: true, holiday: true}
			}
			for _, x := range c.Workdays() {
				out[x.Date] = listing{listed: true}
			}
			for _, s := range c.Shortened() {
				l := out[s.Date]
				l.short = s.Hours
				out[s.Date] = l
			}
			return out
		}
		lw, lo := listings(w), listings(o)
		weekend := map[time.Weekday]bool{}
		for _, wd := range w.Weekends() {
			weekend[wd] = true
		}
		if m.DayHours() != w.DayHours() || !slices.Equal(m.Weekends(), w.Weekends()) {
			t.Fatalf("day %v, weekends %v; want the first calendar's %v, %v", m.DayHours(), m.Weekends(), w.DayHours(), w.Weekends())
		}
		from := g.date(t, "from")
		for d := from; d < from+60; d++ {
			work := !weekend[d.Weekday()]
			var short time.Duration
			if l, ok := lw[d]; ok {
				if l.listed {
					work = !l.holiday
				}
				short = l.short
			}
			if l, ok := lo[d]; ok {
				if l.listed {
					work = !l.holiday
				}
				if l.holiday {
					short = 0
				}
				if l.short > 0 {
					short = l.short
				}
			}
			want := time.Duration(0)
			if work {
				want = w.DayHours()
				if short > 0 && short < want {
					want = short
				}
			}
			if m.IsWorkday(d) != work || m.WorkingHours(d, d+1) != want {
				t.Fatalf("%s: working %v for %v, want %v for %v (first %+v, later %+v)", d, m.IsWorkday(d), m.WorkingHours(d, d+1), work, want, lw[d], lo[d])
			}
		}
		// The years: those of every calendar that narrows them (lists days
		// or declares years, and has no fallback), in common.
		var want []int
		narrowed := false
		for _, c := range []*WorkCalendar{w, o} {
			if c.Years() == nil || c.Fallback() == WeekendsFallback {
				continue
			}
			if !narrowed {
				want, narrowed = slices.Clone(c.Years()), true
				continue
			}
			want = slices.DeleteFunc(want, func(y int) bool { return !slices.Contains(c.Years(), y) })
		}
		if narrowed && !slices.Equal(m.Years(), want) || narrowed && m.Fallback() != NoFallback {
			t.Fatalf("years %v (%v), want %v", m.Years(), m.Fallback(), want)
		}
	})
}

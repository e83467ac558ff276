package period

import (
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// civil is the date x as the civil calendar writes it.
func civil(x date.Date) time.Time {
	y, m, d := x.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// refContaining is the period of g holding the date d, found by walking
// day by day back to its first day and on to its last with the rule of
// each grain written on the civil date (time.Time's year, month and
// weekday), not through the package's period numbers.
func refContaining(c *Calendar, g Grain, d date.Date) Period {
	// key names the period a day belongs to; two days are in one period
	// when their keys are equal.
	key := func(x date.Date) string {
		t := civil(x)
		y, m := t.Year(), int(t.Month())
		fm := int(c.FiscalStart())
		switch g {
		case Day:
			return t.Format(time.DateOnly)
		case Week:
			back := (int(t.Weekday()) - int(c.WeekStart()) + 7) % 7
			return civil(x - date.Date(back)).Format(time.DateOnly)
		case Month:
			return fmt.Sprint(y, m)
		case Quarter:
			return fmt.Sprint(y, (m-1)/3)
		case Year:
			return fmt.Sprint(y)
		case FiscalYear, FiscalQuarter:
			fy := y
			if m < fm {
				fy--
			}
			k := fmt.Sprint(fy)
			if g == FiscalQuarter {
				k += fmt.Sprint("q", ((m-fm+12)%12)/3)
			}
			return k
		}
		n, _ := g.Length()
		off := int(x - c.Anchor())
		q := off / n
		if off%n != 0 && off < 0 {
			q--
		}
		return fmt.Sprint(q)
	}
	k := key(d)
	start, end := d, d+1
	for key(start-1) == k {
		start--
	}
	for key(end) == k {
		end++
	}
	return Period{Grain: g, Start: start, End: end}
}

// refLabel is the label of the whole period p written from its rule:
// the week's number counts the weeks from the one holding 4 January of the
// year of its fourth day, the fiscal year is the calendar year in which it
// ends.
func refLabel(c *Calendar, p Period) string {
	s := civil(p.Start)
	switch p.Grain {
	case Day:
		return s.Format(time.DateOnly)
	case Week:
		wy := civil(p.Start + 3).Year()
		jan4 := date.New(wy, time.January, 4)
		first := refContaining(c, Week, jan4).Start
		return fmt.Sprintf("%04d-W%02d", wy, int(p.Start-first)/7+1)
	case Month:
		return s.Format("2006-01")
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", s.Year(), (int(s.Month())-1)/3+1)
	case Year:
		return s.Format("2006")
	case FiscalYear, FiscalQuarter:
		last := civil(p.Start + date.Date(p.Days()) - 1)
		if p.Grain == FiscalQuarter {
			last = civil(refContaining(c, FiscalYear, p.Start).End - 1)
		}
		q := ((int(s.Month()) - int(c.FiscalStart()) + 12) % 12 / 3) + 1
		if p.Grain == FiscalYear {
			return fmt.Sprintf("FY%04d", last.Year())
		}
		return fmt.Sprintf("FY%04d-Q%d", last.Year(), q)
	}
	n, _ := p.Grain.Length()
	return fmt.Sprintf("%s/P%dD", s.Format(time.DateOnly), n)
}

// Containing, Label, Split and Periods of every grain answer what the
// walks over the days say: the period of a day is the run of days around
// it that the grain's rule puts together; its label is written from the
// rule; a split is the runs of the finer grain's days inside the period,
// each named after its whole period; the periods of a range are the runs
// that start in it.
func TestPropGrainsByDays(t *testing.T) {
	checkCalendars(t, func(t *rapid.T, g *gens, c *Calendar) {
		gr := g.grain(t, "grain")
		day := g.date(t, "day")
		p := c.Containing(gr, day)
		if want := refContaining(c, gr, day); p != want {
			t.Fatalf("Containing(%s, %s) = %v, want %v", gr, day, p, want)
		}
		if got, want := c.Label(p), refLabel(c, p); got != want {
			t.Fatalf("Label(%v) = %q, want %q", p, got, want)
		}
		fine := g.grain(t, "part grain")
		var want []Period
		for x := p.Start; x < p.End; {
			w := refContaining(c, fine, x)
			part := Period{Grain: fine, Start: x, End: min(w.End, p.End)}
			want = append(want, part)
			x = part.End
		}
		parts := c.Split(p, fine)
		if len(parts) != len(want) {
			t.Fatalf("Split(%v, %s) = %d parts, want %d: %v\nwant %v", p, fine, len(parts), len(want), parts, want)
		}
		for i := range parts {
			if parts[i] != want[i] {
				t.Fatalf("Split(%v, %s)[%d] = %v, want %v", p, fine, i, parts[i], want[i])
			}
			whole := refContaining(c, fine, parts[i].Start)
			if got, want := c.Label(parts[i]), refLabel(c, whole); got != want {
				t.Fatalf("Label of part %v = %q, want %q (its whole %v)", parts[i], got, want, whole)
			}
		}
		from := day - date.Date(rapid.IntRange(0, 100).Draw(t, "before"))
		to := day + date.Date(rapid.IntRange(1, 100).Draw(t, "after"))
		ps, err := c.Periods(fine, from, to)
		if err != nil {
			t.Fatal(err)
		}
		var runs []Period
		for x := from; x < to; x++ {
			if w := refContaining(c, fine, x); w.Start == x {
				runs = append(runs, w)
			}
		}
		if fmt.Sprint(ps) != fmt.Sprint(runs) {
			t.Fatalf("Periods(%s, %s, %s) = %v, want %v", fine, from, to, ps, runs)
		}
	})
}

// Elapsed answers what a walk over the period's days says: by calendar
// time the seconds since its first instant over its seconds; by working
// time the working hours of the days before t's date (a day off none, a
// shortened day its own, any other working day a full one) plus today's
// hours in the share of today's seconds that have passed, over the
// period's hours, summed day by day.
func TestPropElapsedByDays(t *testing.T) {
	checkCalendars(t, func(t *rapid.T, g *gens, c *Calendar) {
		p := g.period(t, c, "grain")
		if p.Days() > 400 {
			p = c.Containing(Month, p.Start)
		}
		basis := rapid.SampledFrom([]Basis{CalendarTime, WorkingTime}).Draw(t, "basis")
		at := g.instant(t, c, p.Start, p.End, "t")
		w := c.WorkCalendar()
		hours := func(d date.Date) int64 {
			if !c.IsWorkday(d) {
				return 0
			}
			for _, s := range w.Shortened() {
				if s.Date == d {
					return int64(s.Hours / time.Minute)
				}
			}
			return int64(w.DayHours() / time.Minute)
		}
		want := refElapsed(c.Midnight(p.Start), c.Midnight(p.End), at, basis, func(visit func(minutes, dayStart, dayEnd int64)) {
			for d := p.Start; d < p.End; d++ {
				visit(hours(d), c.Midnight(d).Unix(), c.Midnight(d+1).Unix())
			}
		})
		got := c.Elapsed(p, at, basis)
		if got.Den <= 0 || big.NewRat(got.Num, got.Den).Cmp(want) != 0 || new(big.Int).GCD(nil, nil, big.NewInt(got.Num), big.NewInt(got.Den)).Int64() > 1 && got.Num != 0 {
			t.Fatalf("Elapsed(%v, %s, %s) = %v, want %s", p, at, basis, got, want.RatString())
		}
	})
}

// refElapsed is the fraction of [start, end) passed at the instant at, as
// its rule says: 0 at and before start, 1 at and after end; by calendar
// time the seconds passed over the seconds; by working time the working
// minutes of the days over, plus today's minutes in the share of today's
// seconds passed, over the minutes of every day (0 when there are none).
// days visits the period's days with each one's minutes and bounds in
// Unix seconds.
func refElapsed(start, end, at time.Time, basis Basis, days func(visit func(minutes, dayStart, dayEnd int64))) *big.Rat {
	switch {
	case !at.After(start):
		return new(big.Rat)
	case !at.Before(end):
		return big.NewRat(1, 1)
	case basis == CalendarTime:
		return big.NewRat(at.Unix()-start.Unix(), end.Unix()-start.Unix())
	}
	var total int64
	done := new(big.Rat)
	days(func(minutes, dayStart, dayEnd int64) {
		total += minutes
		switch u := at.Unix(); {
		case u >= dayEnd:
			done.Add(done, big.NewRat(minutes, 1))
		case u >= dayStart:
			done.Add(done, big.NewRat(minutes*(u-dayStart), dayEnd-dayStart))
		}
	})
	if total == 0 {
		return new(big.Rat)
	}
	return done.Quo(done, big.NewRat(total, 1))
}

// ParseLabel reads every label of the forms Label writes, drawn field by
// field (weeks 0 to 54, quarters 0 to 5, months 0 to 13), as the period
// whose label, written from the rule, it is, and refuses a label no period
// has.
func TestPropParseLabelByDays(t *testing.T) {
	checkCalendars(t, func(t *rapid.T, g *gens, c *Calendar) {
		y := rapid.IntRange(1901, 2199).Draw(t, "year")
		var label string
		var gr Grain
		switch rapid.IntRange(0, 4).Draw(t, "form") {
		case 0:
			gr, label = Week, fmt.Sprintf("%04d-W%02d", y, rapid.IntRange(0, 54).Draw(t, "week"))
		case 1:
			gr, label = Quarter, fmt.Sprintf("%04d-Q%d", y, rapid.IntRange(0, 5).Draw(t, "quarter"))
		case 2:
			gr, label = Month, fmt.Sprintf("%04d-%02d", y, rapid.IntRange(0, 13).Draw(t, "month"))
		case 3:
			gr, label = FiscalQuarter, fmt.Sprintf("FY%04d-Q%d", y, rapid.IntRange(0, 5).Draw(t, "quarter"))
		default:
			gr, label = FiscalYear, fmt.Sprintf("FY%04d", y)
		}
		// The periods of the grain around the year, walked by day: the one
		// whose label is the text, if any.
		var want Period
		for d := date.New(y-2, time.January, 1); d < date.New(y+2, time.January, 1); {
			p := refContaining(c, gr, d)
			if refLabel(c, p) == label {
				want = p
				break
			}
			d = p.End
		}
		got, err := c.ParseLabel(label)
		if want.IsZero() {
			if err == nil {
				t.Fatalf("ParseLabel(%q) = %v, want an error", label, got)
			}
			return
		}
		if err != nil || got != want {
			t.Fatalf("ParseLabel(%q) = %v, %v; want %v", label, got, err, want)
		}
	})
}

package formula

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// days_between and workdays_between of two instants, in zones whose
// clocks move by half hours, at midnight or skip a day (Chatham, Lord
// Howe, Havana, Apia, Kathmandu), from 1900 to 2200, are what a plain
// count says: the local dates read from each instant's wall clock
// (time.Time's fields, counted by civilDay), their difference; and the
// working days among the dates [date(a), date(b)) by the calendar's
// lists (a holiday off, a listed working day worked, else by its weekday),
// negative when b is earlier; a date of that range outside the
// calendar's declared years, without the fallback to weekends, fails the
// formula with the calendar error naming the first such date.
func TestBetweenByDaysProp(t *testing.T) {
	var zones []*time.Location
	for _, z := range []string{"Pacific/Chatham", "Australia/Lord_Howe", "America/Havana", "Pacific/Apia", "Asia/Kathmandu", "UTC"} {
		loc, err := time.LoadLocation(z)
		if err != nil {
			t.Fatal(err)
		}
		zones = append(zones, loc)
	}
	env := NewEnv(Decl{"a", TypeTime}, Decl{"b", TypeTime})
	rapid.Check(t, func(t *rapid.T) {
		loc := rapid.SampledFrom(zones).Draw(t, "zone")
		// The calendar: weekends, and holidays and working days in a few
		// declared years.
		weekends := []time.Weekday{}
		off := map[time.Weekday]bool{}
		for d := time.Sunday; d <= time.Saturday; d++ {
			if len(weekends) < 6 && rapid.IntRange(0, 2).Draw(t, "weekend "+d.String()) == 0 {
				weekends, off[d] = append(weekends, d), true
			}
		}
		first := rapid.IntRange(1900, 2198).Draw(t, "first year")
		last := first + rapid.IntRange(0, 2).Draw(t, "more years")
		lo, hi := date.New(first, time.January, 1), date.New(last+1, time.January, 1)
		holiday, worked := map[date.Date]bool{}, map[date.Date]bool{}
		var holidays, workdays []period.NamedDay
		for range rapid.IntRange(0, 30).Draw(t, "listed") {
			x := date.Date(rapid.Int64Range(int64(lo), int64(hi)-1).Draw(t, "day"))
			if holiday[x] || worked[x] {
				continue
			}
			if rapid.Bool().Draw(t, "holiday") {
				holiday[x], holidays = true, append(holidays, period.NamedDay{Date: x})
			} else {
				worked[x], workdays = true, append(workdays, period.NamedDay{Date: x})
			}
		}
		fallback := rapid.Bool().Draw(t, "fallback")
		opts := []period.WorkOption{period.WithYears(first, last)}
		if fallback {
			opts = append(opts, period.WithFallback(period.WeekendsFallback))
		}
		w, err := period.NewWorkCalendar("cal", weekends, holidays, workdays, opts...)
		if err != nil {
			t.Fatal(err)
		}
		c, err := period.NewCalendar(loc, period.WithWorkdays(w))
		if err != nil {
			t.Fatal(err)
		}
		// Two instants: most within the declared years or near them.
		instant := func(label string) time.Time {
			if rapid.IntRange(0, 3).Draw(t, label+" far") == 0 {
				return time.Unix(rapid.Int64Range(time.Date(1900, 1, 2, 0, 0, 0, 0, time.UTC).Unix(), time.Date(2200, 12, 30, 0, 0, 0, 0, time.UTC).Unix()).Draw(t, label), 0)
			}
			base := time.Date(first, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
			return time.Unix(base+rapid.Int64Range(-40*86400, int64(last-first+1)*366*86400+40*86400).Draw(t, label), 0)
		}
		ta := instant("a")
		tb := ta.Add(time.Duration(rapid.Int64Range(-100*86400, 100*86400).Draw(t, "b - a")) * time.Second)
		if rapid.Bool().Draw(t, "b anywhere") {
			tb = instant("b")
		}
		local := func(x time.Time) date.Date {
			l := x.In(loc)
			// civilDay counts from 1970-01-01, which is date.Date 719162.
			return date.Date(civilDay(l.Year(), int(l.Month()), l.Day()) + int64(date.New(1970, 1, 1)))
		}
		da, db := local(ta), local(tb)
		s := MapScope{"a": Time(ta), "b": Time(tb)}
		eval := func(src string) (Value, error) {
			p, err := Compile(src, env.WithCalendar(c), TypeNumber)
			if err != nil {
				t.Fatal(err)
			}
			return p.Eval(s)
		}
		if v, err := eval("days_between(a, b)"); err != nil || !v.Equal(Int(int64(db-da))) {
			t.Fatalf("days_between(%s, %s) in %s = %v, %v; want %d", ta, tb, loc, v, err, db-da)
		}
		from, to, sign := da, db, int64(1)
		if to < from {
			from, to, sign = db, da, -1
		}
		var count int64
		var outside date.Date
		for x := from; x < to; x++ {
			y := x.Year()
			if outside == 0 && !fallback && (y < first || y > last) {
				outside = x
			}
			wd := time.Date(y, x.Month(), x.Day(), 0, 0, 0, 0, time.UTC).Weekday()
			if holiday[x] || !worked[x] && off[wd] {
				continue
			}
			count++
		}
		v, err := eval("workdays_between(a, b)")
		if outside != 0 {
			years := fmt.Sprint(first)
			if last > first {
				years += fmt.Sprint("-", last)
			}
			want := fmt.Sprintf("workdays_between: %s is outside the working-day calendar cal (years %s): add the year to the calendar, or declare outside: weekends (1:1)", outside, years)
			var fe *Error
			if err == nil || err.Error() != want || !errors.As(err, &fe) || fe.Code != CodeCalendar {
				t.Fatalf("workdays_between(%s, %s) = %v, %v; want the error %q", ta, tb, v, err, want)
			}
			return
		}
		if err != nil || !v.Equal(Int(sign*count)) {
			t.Fatalf("workdays_between(%s, %s) in %s = %v, %v; want %d", ta, tb, loc, v, err, sign*count)
		}
	})
}

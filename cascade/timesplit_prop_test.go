package cascade_test

import (
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// A split over time of a production calendar (random weekends, holidays
// and transferred working days, weeks starting on Monday or Sunday) gives each
// period what the largest remainder method gives by hand: the weights
// counted day by day from the calendar's lists, each part the whole units
// of its exact quota (toward zero, as the split of a negative target is the
// negation of its absolute value's), and the units left one each to the
// largest remainders, ties to the earlier period. A period with no weight
// gets nothing, and a range with no working day is refused.
func TestTimeSplitByHand(t *testing.T) {
	base := date.New(2025, time.January, 1)
	rapid.Check(t, func(t *rapid.T) {
		var weekends []time.Weekday
		off := map[time.Weekday]bool{}
		for wd := time.Sunday; wd <= time.Saturday; wd++ {
			if len(weekends) < 6 && rapid.IntRange(0, 2).Draw(t, "weekend") == 0 {
				weekends = append(weekends, wd)
				off[wd] = true
			}
		}
		listed := map[date.Date]bool{} // true: a holiday, false: a working day
		var holidays, workdays []period.NamedDay
		for range rapid.IntRange(0, 40).Draw(t, "listed") {
			day := base + date.Date(rapid.IntRange(0, 120).Draw(t, "day"))
			if _, dup := listed[day]; dup {
				continue
			}
			holiday := rapid.Bool().Draw(t, "holiday")
			listed[day] = holiday
			if holiday {
				holidays = append(holidays, period.NamedDay{Date: day})
			} else {
				workdays = append(workdays, period.NamedDay{Date: day})
			}
		}
		if weekends == nil {
			weekends = []time.Weekday{} // none: nil would mean Saturday and Sunday
		}
		work, err := period.NewWorkCalendar("random", weekends, holidays, workdays, period.WithYears(2024, 2026))
		if err != nil {
			t.Fatal(err)
		}
		cal, err := period.NewCalendar(time.UTC, period.WithWorkdays(work),
			period.WithWeekStart(rapid.SampledFrom([]time.Weekday{time.Monday, time.Sunday}).Draw(t, "week start")))
		if err != nil {
			t.Fatal(err)
		}
		isWork := func(day date.Date) bool {
			if h, ok := listed[day]; ok {
				return !h
			}
			return !off[day.Weekday()]
		}

		start := base + date.Date(rapid.IntRange(0, 100).Draw(t, "start"))
		p := period.Period{Start: start, End: start + date.Date(rapid.IntRange(1, 60).Draw(t, "days"))}
		into := rapid.SampledFrom([]period.Grain{period.Day, period.Week, period.Month, period.Days(3)}).Draw(t, "into")
		method := rapid.SampledFrom([]cascade.Method{cascade.Even, cascade.CalendarDays, cascade.WorkingDays}).Draw(t, "method")
		places := rapid.IntRange(0, 3).Draw(t, "places")
		units := rapid.Int64Range(-1_000_000, 1_000_000).Draw(t, "units")
		total := decimal.New(units, int32(-places))

		// The periods by hand: each day's period of the grain, runs of
		// days in one period make one part.
		var want []period.Period
		for day := p.Start; day < p.End; day++ {
			whole := cal.Containing(into, day)
			if n := len(want); n > 0 && want[n-1].End == day && whole.Start < day {
				want[n-1].End = day + 1
				continue
			}
			want = append(want, period.Period{Grain: into, Start: day, End: day + 1})
		}
		weights := make([]int64, len(want))
		var sum int64
		for i, part := range want {
			for day := part.Start; day < part.End; day++ {
				switch {
				case method == cascade.Even:
					weights[i] = 1
				case method == cascade.CalendarDays || isWork(day):
					weights[i]++
				}
			}
			sum += weights[i]
		}

		parts, vals, err := cascade.TimeSplit(cal, p, into, total, method, places)
		if sum == 0 {
			if err == nil {
				t.Fatalf("no working day in %v, split into %v", p, vals)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(parts, want) {
			t.Fatalf("parts %v, want %v", parts, want)
		}

		// Largest remainder in whole units of |total|, with big.Rat.
		abs := units
		if abs < 0 {
			abs = -abs
		}
		got := make([]int64, len(want))
		rems := make([]*big.Rat, len(want))
		left := abs
		for i, w := range weights {
			q := new(big.Rat).SetFrac(big.NewInt(abs*w), big.NewInt(sum))
			fl := new(big.Int).Quo(q.Num(), q.Denom()).Int64()
			got[i] = fl
			left -= fl
			rems[i] = q.Sub(q, new(big.Rat).SetInt64(fl))
		}
		order := make([]int, len(want))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return rems[b].Cmp(rems[a]) })
		for _, i := range order[:left] {
			got[i]++
		}
		for i, v := range vals {
			w := got[i]
			if units < 0 {
				w = -w
			}
			if exp := decimal.New(w, int32(-places)); !v.Equal(exp) {
				t.Fatalf("part %d %v (weight %d of %d) = %s, want %s; all %v", i, parts[i], weights[i], sum, v, exp, vals)
			}
		}
	})
}

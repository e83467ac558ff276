package period

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// hoursWritten writes minutes as a calendar file's hours: 8, 7.5, 6.05.
func hoursWritten(minutes int) string {
	s := big.NewRat(int64(minutes), 60).FloatString(6)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// A calendar file says what NewWorkCalendar says of the same lists: random
// weekends, holidays, transferred working days and shortened days (with
// hours of their own or the default one hour less), a day's hours in whole
// minutes written as decimals, and the years, declared or not, give the
// same working days, the same hours each day and the same years.
func TestPropFileIsNewWorkCalendar(t *testing.T) {
	base := date.New(2025, time.January, 1)
	rapid.Check(t, func(t *rapid.T) {
		var file strings.Builder
		var weekends []time.Weekday
		if rapid.Bool().Draw(t, "custom weekends") {
			weekends = []time.Weekday{}
			var names []string
			for d := time.Sunday; d <= time.Saturday; d++ {
				if len(weekends) < 6 && rapid.IntRange(0, 2).Draw(t, "weekend") == 0 {
					weekends = append(weekends, d)
					names = append(names, strings.ToLower(d.String()))
				}
			}
			fmt.Fprintf(&file, "weekends: [%s]\n", strings.Join(names, ", "))
		}
		dayMinutes := 3 * rapid.IntRange(41, 480).Draw(t, "day thirds") // 2h03 to 24h, exact in decimals
		var opts []WorkOption
		if rapid.Bool().Draw(t, "hours") {
			fmt.Fprintf(&file, "hours: %s\n", hoursWritten(dayMinutes))
			opts = append(opts, WithDayHours(time.Duration(dayMinutes)*time.Minute))
		} else {
			dayMinutes = 8 * 60
		}
		if rapid.Bool().Draw(t, "years") {
			fmt.Fprintf(&file, "years: [2024, 2026]\n")
			opts = append(opts, WithYears(2024, 2026))
		}
		seen := map[date.Date]bool{}
		var holidays, workdays []NamedDay
		var hs, ws []string
		for range rapid.IntRange(0, 20).Draw(t, "listed") {
			d := base + date.Date(rapid.IntRange(0, 90).Draw(t, "day"))
			if seen[d] {
				continue
			}
			seen[d] = true
			if rapid.Bool().Draw(t, "holiday") {
				holidays = append(holidays, NamedDay{Date: d})
				hs = append(hs, d.String())
			} else {
				workdays = append(workdays, NamedDay{Date: d})
				ws = append(ws, d.String())
			}
		}
		fmt.Fprintf(&file, "holidays: [%s]\nworkdays: [%s]\n", strings.Join(hs, ", "), strings.Join(ws, ", "))
		plain, err := NewWorkCalendar("cal", weekends, holidays, workdays, opts...)
		if err != nil {
			t.Fatal(err)
		}
		var short []ShortDay
		var ss []string
		for range rapid.IntRange(0, 8).Draw(t, "shortened") {
			d := base + date.Date(rapid.IntRange(0, 90).Draw(t, "short day"))
			if seen[d] && !slices.ContainsFunc(workdays, func(x NamedDay) bool { return x.Date == d }) || !plain.IsWorkday(d) ||
				slices.ContainsFunc(short, func(s ShortDay) bool { return s.Date == d }) {
				continue
			}
			if rapid.Bool().Draw(t, "own hours") {
				m := 3 * rapid.IntRange(1, dayMinutes/3-1).Draw(t, "short thirds")
				short = append(short, ShortDay{Date: d, Hours: time.Duration(m) * time.Minute})
				ss = append(ss, fmt.Sprintf("{date: %s, hours: %s}", d, hoursWritten(m)))
			} else if dayMinutes > 60 {
				short = append(short, ShortDay{Date: d})
				ss = append(ss, d.String())
			}
		}
		fmt.Fprintf(&file, "shortened: [%s]\n", strings.Join(ss, ", "))
		want, err := NewWorkCalendar("cal", weekends, holidays, workdays, append(opts, WithShortened(short...))...)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseWorkCalendar("cal.yaml", []byte(file.String()))
		if err != nil {
			t.Fatalf("%v\n%s", err, file.String())
		}
		if !slices.Equal(got.Years(), want.Years()) || got.DayHours() != want.DayHours() || !slices.Equal(got.Weekends(), want.Weekends()) {
			t.Fatalf("years %v, day %v, weekends %v; want %v, %v, %v\n%s", got.Years(), got.DayHours(), got.Weekends(), want.Years(), want.DayHours(), want.Weekends(), file.String())
		}
		for d := base - 7; d < base+100; d++ {
			if got.IsWorkday(d) != want.IsWorkday(d) || got.hoursOn(d) != want.hoursOn(d) {
				t.Fatalf("%s: working %v for %v, want %v for %v\n%s", d, got.IsWorkday(d), got.hoursOn(d), want.IsWorkday(d), want.hoursOn(d), file.String())
			}
		}
	})
}

package deliver

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// Samoa skipped 30 December 2011 whole: 29 December ended at 24:00 -10:00
// (30 December 10:00 UTC) and 31 December began at +14:00. A dispatcher
// that was not running at 29 December's 09:00 digest (19:00 UTC) and
// ticks in the hours after the jump sends it, within the 24 hours a late
// digest has, dated 29 December; the skipped day has none. The day before
// the jump's digest was dropped: its instant, read on the skipped day,
// was taken for the skipped day's and refused.
func TestDueDigestAcrossASkippedDay(t *testing.T) {
	apia, err := time.LoadLocation("Pacific/Apia")
	if err != nil {
		t.Skip(err)
	}
	s := &Schedule{Hour: 9}
	dec29 := time.Date(2011, 12, 29, 19, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		asOf     time.Time
		at, date string
	}{
		{time.Date(2011, 12, 29, 18, 0, 0, 0, time.UTC), "2011-12-28T19:00:00Z", "2011-12-28"},
		{dec29, "2011-12-29T19:00:00Z", "2011-12-29"},
		{time.Date(2011, 12, 30, 9, 59, 0, 0, time.UTC), "2011-12-29T19:00:00Z", "2011-12-29"},
		{time.Date(2011, 12, 30, 10, 0, 0, 0, time.UTC), "2011-12-29T19:00:00Z", "2011-12-29"}, // 31 December 00:00 +14
		{time.Date(2011, 12, 30, 18, 59, 0, 0, time.UTC), "2011-12-29T19:00:00Z", "2011-12-29"},
		{time.Date(2011, 12, 30, 19, 0, 0, 0, time.UTC), "2011-12-30T19:00:00Z", "2011-12-31"}, // 31 December 09:00 +14
	} {
		at, date, ok := dueDigest(s, false, tc.asOf, apia)
		if got := at.UTC().Format(time.RFC3339) + " " + date; !ok || got != tc.at+" "+tc.date {
			t.Errorf("at %s: %s (%v), want %s %s", tc.asOf.Format(time.RFC3339), got, ok, tc.at, tc.date)
		}
	}
}

// dueModel is what a daily (or weekly) digest due at asOf in loc is,
// found from the clock's readings every quarter of an hour (the zones'
// offsets and the schedules' times are quarters): each local date D from
// ten days before asOf's to asOf's (of the schedule's weekday) that the
// clock reads at some instant has an occurrence, the instant it reads the schedule's time on D (the first or
// the last when it reads it twice, as last says) or, when a jump skips
// that time, the instant it would have read it had the clock gone on
// before the jump; the digest due is the latest occurrence at or before
// asOf, when it is less than 24 hours ago, with its date.
func dueModel(s *Schedule, weekly bool, asOf time.Time, loc *time.Location, last bool) (time.Time, string, bool) {
	// wall is the clock's reading at t, in minutes since 1970-01-01 00:00
	// of the clock.
	wall := func(t time.Time) int64 {
		_, off := t.In(loc).Zone()
		return (t.Unix() + int64(off)) / 60
	}
	today := wall(asOf) / (24 * 60)
	type occurrence struct {
		exists    bool
		exact     []time.Time
		past      time.Time // the first instant the clock reads past the time
		pastFound bool
	}
	days := map[int64]*occurrence{}
	for d := today - 10; d <= today; d++ {
		if !weekly || time.Unix(d*24*3600, 0).UTC().Weekday() == s.Weekday {
			days[d] = &occurrence{}
		}
	}
	const step = 15 * time.Minute
	for t := asOf.Truncate(step).Add(-11 * 24 * time.Hour); t.Before(asOf.Add(2 * 24 * time.Hour)); t = t.Add(step) {
		w := wall(t)
		if o := days[w/(24*60)]; o != nil {
			o.exists = true
		}
		for d, o := range days {
			target := d*24*60 + int64(s.Hour*60+s.Minute)
			if w == target {
				o.exact = append(o.exact, t)
			}
			if w >= target && !o.pastFound {
				o.past, o.pastFound = t, true
			}
		}
	}
	var best time.Time
	bestDay := int64(-1)
	for d, o := range days {
		if !o.exists {
			continue
		}
		var at time.Time
		switch {
		case len(o.exact) > 0 && last:
			at = o.exact[len(o.exact)-1]
		case len(o.exact) > 0:
			at = o.exact[0]
		default:
			before := o.past.Add(-step)
			at = before.Add(time.Duration(d*24*60+int64(s.Hour*60+s.Minute)-wall(before)) * time.Minute)
		}
		if !at.After(asOf) && (bestDay < 0 || at.After(best)) {
			best, bestDay = at, d
		}
	}
	if bestDay < 0 || asOf.Sub(best) >= lateness {
		return time.Time{}, "", false
	}
	return best, time.Unix(bestDay*24*3600, 0).UTC().Format(time.DateOnly), true
}

// Around the jumps of zones with summer time of an hour, half an hour or
// backwards, and days skipped across the date line, the daily or weekly
// digest due at any instant is the one a reading of the clock finds.
func TestDueDigestProperty(t *testing.T) {
	var zones []string
	for _, name := range []string{"Pacific/Apia", "Pacific/Kwajalein", "America/Havana", "America/Nuuk", "Australia/Lord_Howe",
		"Europe/Dublin", "Africa/Casablanca", "Pacific/Chatham", "America/New_York", "Europe/Moscow", "Asia/Kathmandu"} {
		if _, err := time.LoadLocation(name); err == nil {
			zones = append(zones, name)
		}
	}
	if len(zones) == 0 {
		t.Skip("no time zone database")
	}
	rapid.Check(t, func(t *rapid.T) {
		loc, _ := time.LoadLocation(rapid.SampledFrom(zones).Draw(t, "zone"))
		year := rapid.SampledFrom([]int{1993, 2011, 2019, 2024, 2025, 2030}).Draw(t, "year")
		var jumps []time.Time
		from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
		_, prev := from.In(loc).Zone()
		for at := from; at.Year() == year; at = at.Add(time.Hour) {
			if _, off := at.In(loc).Zone(); off != prev {
				jumps, prev = append(jumps, at), off
			}
		}
		asOf := from.Add(time.Duration(rapid.IntRange(0, 364*24).Draw(t, "hour")) * time.Hour)
		if len(jumps) > 0 {
			asOf = rapid.SampledFrom(jumps).Draw(t, "jump")
		}
		asOf = asOf.Add(time.Duration(rapid.IntRange(-48*3600, 48*3600).Draw(t, "seconds from it")) * time.Second)
		s := &Schedule{Hour: rapid.IntRange(0, 23).Draw(t, "hour of day"), Minute: rapid.SampledFrom([]int{0, 15, 30, 45}).Draw(t, "minute"),
			Weekday: time.Weekday(rapid.IntRange(0, 6).Draw(t, "weekday"))}
		weekly := rapid.Bool().Draw(t, "weekly")
		at, date, ok := dueDigest(s, weekly, asOf, loc)
		got := fmt.Sprint(at.UTC(), date, ok)
		var wants []string
		for _, last := range []bool{false, true} {
			a, d, k := dueModel(s, weekly, asOf, loc, last)
			wants = append(wants, fmt.Sprint(a.UTC(), d, k))
		}
		if !slices.Contains(wants, got) {
			t.Fatalf("%s %+v (weekly %v) at %s (%s): %s, want %q", loc, *s, weekly, asOf.In(loc), asOf.UTC(), got, wants)
		}
	})
}

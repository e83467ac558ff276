package kpi_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A request whose period runs far past the years events can have (up to
// the year 100000) is evaluated in memory of its events, not of its
// days: the day table had an int32 for each of its 36 million days, and
// a scan by day (a dated membership) a period for each; a period up to the
// year 1,000,000 allocated gigabytes.
func TestEvaluateHugeRangeAllocatesForEvents(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "revenue", Kinds: []string{"won"}, Aggregate: kpi.Sum, Value: "amount"}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	events := kpi.Events{
		{ID: "e1", Kind: "won", Actor: "anna", Time: time.Date(2025, 3, 7, 12, 0, 0, 0, time.UTC), Amount: decimal.NewNullDecimal(decimal.NewFromInt(100))},
		{ID: "e2", Kind: "won", Actor: "anna", Time: time.Date(2261, 12, 31, 23, 0, 0, 0, time.UTC), Amount: decimal.NewNullDecimal(decimal.NewFromInt(7))},
		{ID: "e3", Kind: "won", Actor: "anna", Time: time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC), Amount: decimal.NewNullDecimal(decimal.NewFromInt(5))},
	}
	huge := period.Period{Grain: period.Day, Start: date.New(-100000, 1, 1), End: date.New(100000, 1, 1)}
	// A dated membership that starts inside the period makes the group's
	// row a scan by day; it counts anna's events from 2025 on.
	team := org.Group{ID: "team", Spans: []org.Span{{Member: "anna", From: date.New(2020, 1, 1)}}}
	// Without the group, an array of the period's days; with it, a scan by
	// day of the dates events can have (1678–2261: 213,000 of them).
	for _, tc := range []struct {
		groups []org.Group
		limit  uint64
		want   map[string]int64
	}{
		// 100 + 7 + 5 for anna.
		{nil, 8 << 20, map[string]int64{"anna": 112}},
		// 100 + 7 for the team, from 2020 on.
		{[]org.Group{team}, 160 << 20, map[string]int64{"anna": 112, "team": 107}},
	} {
		req := kpi.Request{Calendar: cal, Periods: []period.Period{huge}, Groups: tc.groups, Workers: 1}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		res, err := set.Evaluate(context.Background(), events, req)
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		for who, want := range tc.want {
			if v, _ := res.Value("revenue", who, huge); !v.Valid || !v.Decimal.Equal(decimal.NewFromInt(want)) {
				t.Errorf("%d groups: revenue of %s: %v, want %d", len(tc.groups), who, v, want)
			}
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > tc.limit {
			t.Errorf("%d groups: the evaluation allocated %d MiB, want at most %d MiB", len(tc.groups), got>>20, tc.limit>>20)
		}
	}
}

// Periods wholly before or after the dates events can have hold nothing,
// with or without a scan by day (a dated membership): none of their days
// is in the day table.
func TestEvaluatePeriodsPastEventYears(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "revenue", Kinds: []string{"won"}, Aggregate: kpi.Sum, Value: "amount"}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	events := kpi.Events{{ID: "e1", Kind: "won", Actor: "anna", Time: time.Date(2025, 3, 7, 12, 0, 0, 0, time.UTC), Amount: decimal.NewNullDecimal(decimal.NewFromInt(100))}}
	team := org.Group{ID: "team", Spans: []org.Span{{Member: "anna", From: date.New(1000, 1, 1)}}}
	for _, ps := range [][]period.Period{
		{{Grain: period.Year, Start: date.New(1000, 1, 1), End: date.New(1001, 1, 1)}},
		{{Grain: period.Year, Start: date.New(3000, 1, 1), End: date.New(3001, 1, 1)}},
		{{Grain: period.Year, Start: date.New(1000, 1, 1), End: date.New(1001, 1, 1)}, {Grain: period.Year, Start: date.New(3000, 1, 1), End: date.New(3001, 1, 1)}},
	} {
		res, err := set.Evaluate(context.Background(), events, kpi.Request{Calendar: cal, Periods: ps, Groups: []org.Group{team}})
		if err != nil {
			t.Fatalf("%v: %v", ps, err)
		}
		for _, p := range ps {
			for _, who := range []string{"anna", "team"} {
				if v, _ := res.Value("revenue", who, p); v.Valid && !v.Decimal.IsZero() {
					t.Errorf("%v: revenue of %s: %v, want nothing", p, who, v)
				}
			}
		}
	}
}

// A scan by day for dated memberships keeps a cell for each actor and
// date with an event, not one for every actor on every date of the
// periods: 2,000 actors with two events each in a year took 730,000 cells
// of every accumulator (tens of MiB) for 4,000 events.
func TestEvaluateDatedMembersAllocatesForEvents(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "revenue", Kinds: []string{"won"}, Aggregate: kpi.Sum, Value: "amount"}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	year := period.Period{Grain: period.Year, Start: date.New(2025, 1, 1), End: date.New(2026, 1, 1)}
	july := date.New(2025, 7, 1)
	var events kpi.Events
	team, left := org.Group{ID: "team"}, org.Group{ID: "left"}
	var joined, before int64 // the amounts on and after July 1, and before it
	for i := range 2000 {
		actor := fmt.Sprintf("u%04d", i)
		for j, d := range []int{i * 7 % 365, (i*13 + 5) % 365} {
			on := year.Start + date.Date(d)
			amount := int64(i + 1 + j)
			events = append(events, kpi.Event{ID: fmt.Sprintf("e%d-%d", i, j), Kind: "won", Actor: actor,
				Time: on.Midnight().Add(9 * time.Hour), Amount: decimal.NewNullDecimal(decimal.NewFromInt(amount))})
			if on >= july {
				joined += amount
			} else {
				before += amount
			}
		}
		team.Spans = append(team.Spans, org.Span{Member: actor, From: july})
		left.Spans = append(left.Spans, org.Span{Member: actor, To: july})
	}
	req := kpi.Request{Calendar: cal, Periods: []period.Period{year}, Groups: []org.Group{team, left}, Workers: 1}
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	res, err := set.Evaluate(context.Background(), events, req)
	runtime.ReadMemStats(&m1)
	if err != nil {
		t.Fatal(err)
	}
	for who, want := range map[string]int64{"team": joined, "left": before} {
		if v, _ := res.Value("revenue", who, year); !v.Valid || !v.Decimal.Equal(decimal.NewFromInt(want)) {
			t.Errorf("revenue of %s: %v, want %d", who, v, want)
		}
	}
	if got := m1.TotalAlloc - m0.TotalAlloc; got > 8<<20 {
		t.Errorf("the evaluation allocated %d MiB, want at most 8 MiB", got>>20)
	}
}

// A request of many periods (a day each of three centuries: 109,575)
// takes time in proportion to them: finding each reported period among
// the evaluated ones compared it with every one of them, seconds for a
// century of days.
func TestEvaluateManyPeriods(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "revenue", Kinds: []string{"won"}, Aggregate: kpi.Sum, Value: "amount"}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	on := time.Date(2025, 3, 7, 12, 0, 0, 0, time.UTC)
	events := kpi.Events{{ID: "e1", Kind: "won", Actor: "anna", Time: on, Amount: decimal.NewNullDecimal(decimal.NewFromInt(100))}}
	ps, err := cal.Periods(period.Day, date.New(1900, 1, 1), date.New(2200, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res, err := set.Evaluate(context.Background(), events, kpi.Request{Calendar: cal, Periods: ps})
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("%d periods took %v, want at most 3s", len(ps), took)
	}
	if err != nil {
		t.Fatal(err)
	}
	day := cal.At(period.Day, on)
	for _, p := range []period.Period{day, cal.Prev(day), cal.Next(day), ps[0], ps[len(ps)-1]} {
		want := decimal.Zero
		if p == day {
			want = decimal.NewFromInt(100)
		}
		if v, _ := res.Value("revenue", "anna", p); v.Valid && !v.Decimal.Equal(want) || !v.Valid && !want.IsZero() {
			t.Errorf("revenue of %s: %v, want %s", p.Start, v, want)
		}
	}
}

// A dated membership's row counts the member's events on the dates of its
// span whether the scan by day keeps a cell for every actor and date (few
// actors with many events each) or only for those with events.
func TestEvaluateDatedMembersDenseAndSparse(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "revenue", Kinds: []string{"won"}, Aggregate: kpi.Sum, Value: "amount"}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	week := period.Period{Grain: period.Week, Start: date.New(2025, 3, 3), End: date.New(2025, 3, 10)}
	from, to := date.New(2025, 3, 5), date.New(2025, 3, 8)
	// 2 actors × 7 days: against 3 events (u1's on odd days), a cell for
	// each; against 280, a cell for every actor and day.
	for _, perDay := range []int{1, 20} {
		var events kpi.Events
		var want int64
		for a := range 2 {
			for d := range 7 {
				if perDay == 1 && (a == 0 || d%2 == 0) {
					continue
				}
				for k := range perDay {
					on := week.Start + date.Date(d)
					amount := int64(1 + a*100 + d*10 + k)
					events = append(events, kpi.Event{ID: fmt.Sprintf("e%d-%d-%d", a, d, k), Kind: "won", Actor: fmt.Sprint("u", a),
						Time: on.Midnight().Add(10 * time.Hour), Amount: decimal.NewNullDecimal(decimal.NewFromInt(amount))})
					if a == 1 && on >= from && on < to {
						want += amount
					}
				}
			}
		}
		team := org.Group{ID: "team", Spans: []org.Span{{Member: "u1", From: from, To: to}}}
		res, err := set.Evaluate(context.Background(), events, kpi.Request{Calendar: cal, Periods: []period.Period{week}, Groups: []org.Group{team}})
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := res.Value("revenue", "team", week); !v.Valid || !v.Decimal.Equal(decimal.NewFromInt(want)) {
			t.Errorf("%d events a day: revenue of the team %v, want %d", perDay, v, want)
		}
	}
}

// A cumulative indicator's scan by day keeps a cell for each actor and
// date with an event, not one for every actor on every date from the
// first event on: 500 actors with an event every eighth day from 2015 on
// took 200 MiB for a year of months in 2025.
func TestEvaluateWindowAllocatesForEvents(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "total", Kinds: []string{"won"}, Aggregate: kpi.Sum, Value: "amount", Window: "all"}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	var events kpi.Events
	for i := range 500 {
		events = append(events, kpi.Event{ID: fmt.Sprint("e", i), Kind: "won", Actor: fmt.Sprintf("u%03d", i),
			Time: time.Date(2015, 1, 1, 12, 0, 0, 0, time.UTC).AddDate(0, 0, i*8), Amount: decimal.NewNullDecimal(decimal.NewFromInt(int64(i + 1)))})
	}
	ps, err := cal.Periods(period.Month, date.New(2025, 1, 1), date.New(2026, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	res, err := set.Evaluate(context.Background(), events, kpi.Request{Calendar: cal, Periods: ps, Workers: 1})
	runtime.ReadMemStats(&m1)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		var want int64 // every amount up to the month's end
		for _, e := range events {
			if cal.Date(e.Time) < p.End {
				want += e.Amount.Decimal.IntPart()
			}
		}
		if v, _ := res.Value("total", org.Everyone, p); !v.Valid || !v.Decimal.Equal(decimal.NewFromInt(want)) {
			t.Errorf("total of everyone in %s: %v, want %d", p.Start, v, want)
		}
	}
	if got := m1.TotalAlloc - m0.TotalAlloc; got > 16<<20 {
		t.Errorf("the evaluation allocated %d MiB, want at most 16 MiB", got>>20)
	}
}

package kpi_test

import (
	"context"
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

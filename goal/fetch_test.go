package goal

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// The fetcher evaluates many periods of mixed grains in few kpi requests;
// every value equals the value of the period evaluated on its own, prev()
// of formulas included.
func TestFetcherMatchesSinglePeriods(t *testing.T) {
	cal := enginetest.Calendar(t, "Europe/Berlin")
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"deal.won"}, Aggregate: "count"},
		{ID: "revenue", Kinds: []string{"deal.won"}, Aggregate: "sum", Value: "amount"},
		{ID: "growth", Formula: "revenue - prev(revenue)"},
		{ID: "avg_deal", Formula: "revenue / won"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		var es events
		for i := range rapid.IntRange(0, 40).Draw(t, "events") {
			day := d("2025-01-01") + date.Date(rapid.IntRange(0, 120).Draw(t, "day"))
			e := ev(fmt.Sprint("e", i), "deal.won", rapid.SampledFrom([]string{"anna", "boris"}).Draw(t, "actor"), cal.Midnight(day).Add(36e11))
			e.Amount = nd(fmt.Sprint(rapid.IntRange(1, 100).Draw(t, "amount")))
			es = append(es, e)
		}
		var ps []period.Period
		for range rapid.IntRange(1, 12).Draw(t, "periods") {
			ps = append(ps, drawPeriod(t, cal, d("2025-01-15")+date.Date(rapid.IntRange(0, 90).Draw(t, "start"))))
		}
		asOf := cal.Midnight(d("2025-04-10"))
		f := newFetcher([]*kpi.Set{set}, kpi.Request{Calendar: cal})
		v := variant{asOf: asOf}
		f.users["anna"], f.users["boris"] = true, true
		for _, p := range ps {
			f.value(0, v, "won", "anna", p)
		}
		var tab *kpi.Table
		ctx := context.Background()
		err := kpi.Snapshot(ctx, es, cal.Location(), kpi.Query{Kinds: set.Kinds()}, func(tb *kpi.Table) error {
			tab = tb
			return f.run(ctx, tb)
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			one, err := set.EvaluateTable(ctx, tab, kpi.Request{Calendar: cal, Periods: []period.Period{p}, AsOf: asOf, Participants: []string{"anna", "boris"}})
			if err != nil {
				t.Fatal(err)
			}
			for _, ind := range []string{"won", "revenue", "growth", "avg_deal"} {
				for _, who := range []string{"anna", "boris", org.Everyone} {
					want, _ := one.Value(ind, who, p)
					if got := f.value(0, v, ind, who, p); !nullEqual(got, want) {
						t.Fatalf("%s %s %s: %s, alone %s", ind, who, p, str(got), str(want))
					}
				}
			}
		}
	})
}

// drawPeriod draws a period at day: its day, week or month, a range of 2
// to 20 days from it, or the two weeks from its week's start (as a
// recurrence every 2 weeks makes them).
func drawPeriod(t *rapid.T, cal *period.Calendar, day date.Date) period.Period {
	switch rapid.IntRange(0, 4).Draw(t, "shape") {
	case 0:
		return cal.Containing(period.Day, day)
	case 1:
		return cal.Containing(period.Week, day)
	case 2:
		return cal.Containing(period.Month, day)
	case 3:
		n := rapid.IntRange(2, 20).Draw(t, "len")
		return period.Period{Grain: period.Days(n), Start: day, End: day + date.Date(n)}
	}
	w := cal.Containing(period.Week, day)
	return period.Period{Grain: period.Week, Start: w.Start, End: w.End + 7}
}

// The layers of many periods are those of the plain greedy rule, each
// period in the first layer none of whose covers (the periods and their
// lookback periods) any of its own overlaps, unless it is the same period,
// and, with a span, where the layer's dates stay within it.
func TestLayersAreGreedy(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	rapid.Check(t, func(t *rapid.T) {
		var ps []period.Period
		for range rapid.IntRange(0, 30).Draw(t, "periods") {
			ps = append(ps, drawPeriod(t, cal, d("2025-01-01")+date.Date(rapid.IntRange(0, 120).Draw(t, "start"))))
		}
		lookback := rapid.IntRange(0, 2).Draw(t, "lookback")
		span := rapid.SampledFrom([]int{0, 1, 7, 31, 60, 200}).Draw(t, "span")
		got := layers(cal, slices.Clone(ps), lookback, span)
		// The greedy rule, comparing with every cover of a layer.
		slices.SortFunc(ps, func(a, b period.Period) int {
			return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(a.Grain.String(), b.Grain.String()))
		})
		var want, covers [][]period.Period
		for _, p := range ps {
			fp := []period.Period{p}
			for k := 1; k <= lookback; k++ {
				if q := cal.Shift(p, -k); !q.IsZero() {
					fp = append(fp, q)
				}
			}
			home := len(want)
			for li := range want {
				ok := true
				for _, q := range fp {
					lo, hi := q.Start, q.End
					for _, r := range covers[li] {
						ok = ok && (q == r || !(q.Start < r.End && r.Start < q.End && q.Start < q.End && r.Start < r.End))
						lo, hi = min(lo, r.Start), max(hi, r.End)
					}
					// Several periods span at most span days.
					ok = ok && (span == 0 || len(covers[li]) == 0 || int(hi-lo) <= span)
				}
				if ok {
					home = li
					break
				}
			}
			if home == len(want) {
				want, covers = append(want, nil), append(covers, nil)
			}
			want[home] = append(want[home], p)
			covers[home] = append(covers[home], fp...)
		}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("layers %v, want %v", got, want)
		}
	})
}

// A goal of a century with a seasonal pace learns from three centuries of
// days before it in well under a second's work: placing each day among the
// periods of a request compared it with every day placed before (a
// minute).
func TestCenturyGoalSeasonalPace(t *testing.T) {
	cal, inds, src := centuryLeads(t)
	s := mustCompile(t, cal, inds, Def{ID: "g", Indicator: "leads", Target: dp("100"), Pace: PaceSeasonal,
		Period: PeriodDef{From: d("2000-01-01"), To: d("2100-01-01")}, Participants: ParticipantsDef{Users: []string{"anna"}}})
	asOf := enginetest.At(cal, "2025-03-20 12:00")
	start := time.Now()
	r := rowFor(t, evaluate(t, s, src, Request{AsOf: asOf, From: d("2025-03-01"), To: d("2025-04-01")}), "g", "anna")
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the evaluation took %v, want at most 5s", took)
	}
	n := 0 // the leads up to as-of
	for _, e := range src {
		if !e.Time.After(asOf) {
			n++
		}
	}
	if str(r.Actual) != fmt.Sprint(n) {
		t.Errorf("actual %s, want %d", str(r.Actual), n)
	}
}

// A goal of seventy years over a plan with an indicator to date evaluates:
// the period before it (Previous) and its own went to one kpi request, whose
// windows spanned 140 years, and kpi refused the whole evaluation. A value
// to date of a period is the one of its last day: 0 for the periods that
// end in 2060 and 2100 as of 2025 (no event of those years yet), that of
// 1989 for the period before (1920–1990), counted here.
func TestFarPeriodsOverWindowsEvaluate(t *testing.T) {
	cal, _, src := centuryLeads(t)
	src = append(src, ev("old", "lead.created", "anna", enginetest.At(cal, "1989-06-01 10:00")))
	inds := []kpi.IndicatorDef{{ID: "leads", Kinds: []string{"lead.created"}, Aggregate: "count"},
		{ID: "ytd", Kinds: []string{"lead.created"}, Aggregate: "count", ToDate: "year"}, {ID: "twice", Formula: "ytd * 2"}}
	asOf := enginetest.At(cal, "2025-12-31 12:00")
	ytd, before := 0, 0 // the years to date of 2059 and 1989
	for _, e := range src {
		switch e.Time.Year() {
		case 2059:
			ytd++
		case 1989:
			before++
		}
	}
	for _, c := range []struct {
		indicator    string
		from, to     string
		want, wantPr int
	}{
		{"ytd", "1990-01-01", "2060-01-01", ytd, before},
		{"twice", "1990-01-01", "2060-01-01", 2 * ytd, 2 * before},
		{"leads", "1990-01-01", "2060-01-01", len(src) - 1, 1}, // a plain count beside them
		{"ytd", "2000-01-01", "2100-01-01", ytd, 0},
	} {
		s := mustCompile(t, cal, inds, Def{ID: "g", Indicator: c.indicator, Target: dp("100"), Participants: ParticipantsDef{Users: []string{"anna"}},
			Period: PeriodDef{From: d(c.from), To: d(c.to)}})
		r := rowFor(t, evaluate(t, s, src, Request{AsOf: asOf, From: d("2025-01-01"), To: d("2025-02-01")}), "g", "anna")
		if str(r.Actual) != fmt.Sprint(c.want) || str(r.Previous) != fmt.Sprint(c.wantPr) {
			t.Errorf("%s of %s–%s: actual %s, previous %s, want %d and %d", c.indicator, c.from, c.to, str(r.Actual), str(r.Previous), c.want, c.wantPr)
		}
	}
}

// A goal of the longest period (36,584 days here, within the 36,600 a goal
// takes) over an indicator to date, a trailing window or a window of all
// evaluates, and so does one of seventy years over a window of all, whose
// period before it (1920–1990) goes to a request of its own. kpi refused
// them all: it bounded the windows at 36,525 days, and goal put periods
// over a window of all in one request however far apart.
func TestLongestPeriodsOverWindowsEvaluate(t *testing.T) {
	cal, _, src := centuryLeads(t)
	inds := []kpi.IndicatorDef{
		{ID: "ytd", Kinds: []string{"lead.created"}, Aggregate: "count", ToDate: "year"},
		{ID: "all", Kinds: []string{"lead.created"}, Aggregate: "count", Window: "all"},
		{ID: "week", Kinds: []string{"lead.created"}, Aggregate: "count", Window: "7 days"}}
	asOf := enginetest.At(cal, "2025-12-31 12:00")
	for _, c := range []struct {
		indicator, from, to string
		want, wantPr        string
	}{
		{"ytd", "1950-01-01", "2050-03-01", "0", "0"}, // no lead in 2050
		{"week", "1950-01-01", "2050-03-01", "0", "0"},
		{"all", "1950-01-01", "2050-03-01", fmt.Sprint(len(src)), "0"},
		{"all", "1990-01-01", "2060-01-01", fmt.Sprint(len(src)), "0"},
	} {
		s := mustCompile(t, cal, inds, Def{ID: "g", Indicator: c.indicator, Target: dp("100"), Participants: ParticipantsDef{Users: []string{"anna"}},
			Period: PeriodDef{From: d(c.from), To: d(c.to)}})
		res, err := s.Evaluate(context.Background(), snapshot(s, src), Request{AsOf: asOf, From: d("2025-01-01"), To: d("2025-02-01")})
		if err != nil {
			t.Errorf("%s of %s–%s: %v", c.indicator, c.from, c.to, err)
			continue
		}
		r := rowFor(t, res, "g", "anna")
		if str(r.Actual) != c.want || str(r.Previous) != c.wantPr {
			t.Errorf("%s of %s–%s: actual %s, previous %s, want %s and %s", c.indicator, c.from, c.to, str(r.Actual), str(r.Previous), c.want, c.wantPr)
		}
	}
}

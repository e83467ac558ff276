package goal

import (
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"pgregory.net/rapid"
)

// windowIndicators are indicators over windows (to date, trailing, all),
// with the plain ones they are made of.
var windowIndicators = append(enginetest.SalesIndicators[:len(enginetest.SalesIndicators):len(enginetest.SalesIndicators)],
	kpi.IndicatorDef{ID: "won_ytd", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, ToDate: "year"},
	kpi.IndicatorDef{ID: "revenue_mtd", Kinds: []string{"deal.won"}, Aggregate: kpi.Sum, Value: "amount", ToDate: "month"},
	kpi.IndicatorDef{ID: "revenue_7d", Kinds: []string{"deal.won"}, Aggregate: kpi.Sum, Value: "amount", Window: "7 days"},
	kpi.IndicatorDef{ID: "leads_2m", Kinds: []string{"lead.created"}, Aggregate: kpi.Count, Window: "2 months"},
	kpi.IndicatorDef{ID: "deals_all", Kinds: []string{"deal.created"}, Aggregate: kpi.Count, Window: "all"},
	kpi.IndicatorDef{ID: "avg_7d", Kinds: []string{"deal.won"}, Aggregate: kpi.Avg, Value: "amount", Window: "7 days"},
)

// The chart of a goal over a window (to date, trailing, all) reads each day
// alone, since a window's start follows from its end: whatever the window,
// the zone, the participants and the versions known later, the points are
// those read over the days so far.
func TestWindowSeriesByDayChangeNothing(t *testing.T) {
	var cals []*period.Calendar
	for _, zone := range []string{"UTC", "Asia/Kathmandu", "America/St_Johns"} {
		cals = append(cals, enginetest.Calendar(t, zone))
	}
	rapid.Check(t, func(t *rapid.T) {
		cal := rapid.SampledFrom(cals).Draw(t, "calendar")
		every := rapid.SampledFrom([]PeriodDef{{From: d("2024-01-01"), Every: period.Month}, {From: d("2024-01-01"), Every: period.Quarter},
			{From: d("2024-12-20"), To: d("2025-04-10")}}).Draw(t, "every")
		users := ParticipantsDef{Users: []string{"anna", "boris"}}
		var shapes []Def
		for _, id := range []string{"won_ytd", "revenue_mtd", "revenue_7d", "leads_2m", "deals_all", "avg_7d"} {
			shapes = append(shapes, Def{ID: id, Indicator: id, Target: dp("5"), Period: every, Participants: users})
		}
		shapes = append(shapes, Def{ID: "company", Indicator: "revenue_7d", Target: dp("100"), Period: every, Participants: ParticipantsDef{Company: true}})
		s, err := Compile(drawShapes(t, shapes), Env{Calendar: cal, Indicators: windowIndicators, Attributes: map[string]kpi.AttrType{"source": kpi.AttrString}})
		if err != nil {
			t.Fatal(err)
		}
		start := cal.Midnight(d("2024-10-01"))
		span := int(cal.Midnight(d("2025-04-15")).Sub(start) / time.Minute)
		asOf := start.Add(time.Duration(rapid.IntRange(span/2, span).Draw(t, "asOf")) * time.Minute)
		es := drawEvents(t, start, span, asOf, 30)
		req := Request{AsOf: asOf, From: d("2024-12-01"), To: d("2025-05-01"), Series: true}
		drawKnownAt(t, &req)
		sameSwitched(t, s, snapshot(s, es), req, &windowsByDay)
	})
}

// The chart of a goal of seventy years over a year to date costs what its
// points do: each point read the days so far in a request of its own, and
// 13,148 points as of 2025-12-31 took 4 s.
func TestLongWindowSeriesReadsEachDay(t *testing.T) {
	cal, _, src := centuryLeads(t)
	inds := []kpi.IndicatorDef{{ID: "ytd", Kinds: []string{"lead.created"}, Aggregate: kpi.Count, ToDate: "year"}}
	s := mustCompile(t, cal, inds, Def{ID: "g", Indicator: "ytd", Target: dp("100"), Participants: ParticipantsDef{Users: []string{"anna"}},
		Period: PeriodDef{From: d("1990-01-01"), To: d("2060-01-01")}})
	tab := snapshot(s, src)
	req := Request{AsOf: enginetest.At(cal, "2025-12-31 12:00"), From: d("2025-01-01"), To: d("2025-02-01"), Series: true}
	r := rowFor(t, evaluateWithin(t, s, tab, req, 64), "g", "anna")
	if want := int(d("2026-01-01") - d("1990-01-01")); len(r.Series) != want {
		t.Fatalf("%d points, want %d", len(r.Series), want)
	}
	// The year to date of each day, counted here.
	for _, pt := range r.Series {
		n := 0
		for _, e := range src {
			if day := cal.Date(e.Time); day.Year() == pt.Date.Year() && day <= pt.Date {
				n++
			}
		}
		if str(pt.Actual) != fmt.Sprint(n) {
			t.Fatalf("%s: %s, want %d", pt.Date, str(pt.Actual), n)
		}
	}
}

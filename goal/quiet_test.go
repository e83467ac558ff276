package goal

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// The days an additive goal reads one by one (its earlier periods for a
// seasonal profile or a chance, its chart) are asked of kpi only where
// they hold events: whatever the zone, the amounts (negative, past 2^63
// hundredths), the cohorts and the versions known later, the result is the
// one that asks for every day.
func TestQuietDaysChangeNothing(t *testing.T) {
	inds := append(enginetest.SalesIndicators[:len(enginetest.SalesIndicators):len(enginetest.SalesIndicators)],
		kpi.IndicatorDef{ID: "converted", Kinds: []string{"deal.won"}, Aggregate: kpi.Count,
			Cohort: &kpi.CohortDef{Of: []string{"deal.created"}, Entity: "source", Within: "30 days"}})
	users := ParticipantsDef{Users: []string{"anna", "boris"}}
	monthly := PeriodDef{From: d("2024-01-01"), Every: period.Month}
	weekly := PeriodDef{From: d("2024-01-01"), Every: period.Week}
	var cals []*period.Calendar
	for _, zone := range []string{"UTC", "Asia/Kathmandu", "America/St_Johns", "Pacific/Chatham"} {
		cals = append(cals, enginetest.Calendar(t, zone))
	}
	rapid.Check(t, func(t *rapid.T) {
		cal := rapid.SampledFrom(cals).Draw(t, "calendar")
		every := rapid.SampledFrom([]PeriodDef{monthly, weekly}).Draw(t, "every")
		history := rapid.IntRange(1, 4).Draw(t, "history")
		shapes := []Def{
			{ID: "leads", Indicator: "leads", Target: dp("5"), Pace: PaceSeasonal, PaceHistory: history, Period: every, Participants: users},
			{ID: "revenue", Indicator: "revenue", Target: dp("1000"), Forecast: ForecastSeasonal, PaceHistory: history, Period: every, Participants: users},
			{ID: "chance", Indicator: "revenue", Target: dp("300"), Period: every, Participants: ParticipantsDef{Company: true},
				Chance: &ChanceDef{History: history, Seed: 7, Samples: 50}},
			{ID: "converted", Indicator: "converted", Target: dp("2"), Pace: PaceSeasonal, PaceHistory: history, Period: every, Participants: users},
			{ID: "won", Indicator: "won", Target: dp("3"), Period: every, Participants: users},
		}
		s, err := Compile(drawShapes(t, shapes), Env{Calendar: cal, Indicators: inds, Attributes: map[string]kpi.AttrType{"source": kpi.AttrString}})
		if err != nil {
			t.Fatal(err)
		}
		start := cal.Midnight(d("2024-09-01"))
		span := int(cal.Midnight(d("2025-03-20")).Sub(start) / time.Minute)
		from := int(cal.Midnight(d("2025-01-10")).Sub(start) / time.Minute)
		asOf := start.Add(time.Duration(rapid.IntRange(from, span).Draw(t, "asOf")) * time.Minute)
		es := drawEvents(t, start, span, asOf, 40)
		req := Request{AsOf: asOf, From: d("2025-01-01"), To: d("2025-04-01"), Series: rapid.Bool().Draw(t, "series")}
		drawKnownAt(t, &req)
		sameSwitched(t, s, snapshot(s, es), req, &quietDaysOn)
	})
}

// A goal of a century that learns from its earlier periods, or whose chart
// is drawn, costs what its events and its chart's points do, not what its
// days do: it asked kpi for a value of every day, and allocated 108 MiB
// with a seasonal pace learnt from three centuries (109 575 days), 51 MiB
// with a chance learnt from one, 16 MiB for a chart of 9 211 points.
func TestCenturyGoalReadsItsEventDays(t *testing.T) {
	cal, inds, src := centuryLeads(t)
	century := PeriodDef{From: d("2000-01-01"), To: d("2100-01-01")}
	for _, c := range []struct {
		name   string
		def    Def
		series bool
		mib    uint64 // the allocations allowed
	}{
		{"seasonal pace, three periods", Def{Pace: PaceSeasonal, Period: century}, false, 32},
		{"chance, one period", Def{Chance: &ChanceDef{History: 1, Seed: 1, Samples: 10}, Period: century}, false, 24},
		{"chart", Def{Period: century}, true, 12},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := c.def
			g.ID, g.Indicator, g.Target, g.Participants = "g", "leads", dp("100"), ParticipantsDef{Users: []string{"anna"}}
			s := mustCompile(t, cal, inds, g)
			tab := snapshot(s, src)
			req := Request{AsOf: enginetest.At(cal, "2025-03-20 12:00"), From: d("2025-03-01"), To: d("2025-04-01"), Series: c.series}
			res := evaluateWithin(t, s, tab, req, c.mib)
			n := 0 // the leads up to as-of
			for _, e := range src {
				if !e.Time.After(req.AsOf) {
					n++
				}
			}
			r := rowFor(t, res, "g", "anna")
			if str(r.Actual) != fmt.Sprint(n) {
				t.Errorf("actual %s, want %d", str(r.Actual), n)
			}
			if c.series && len(r.Series) != int(d("2025-03-21")-d("2000-01-01")) {
				t.Errorf("%d points, want one a day to the as-of", len(r.Series))
			}
		})
	}
}

// centuryLeads are the calendar (UTC), the indicator (leads, a count) and
// the events (30 leads of anna's in March 2025) of the tests of a goal of
// a century.
func centuryLeads(t testing.TB) (*period.Calendar, []kpi.IndicatorDef, events) {
	cal := enginetest.Calendar(t, "UTC")
	inds := []kpi.IndicatorDef{{ID: "leads", Kinds: []string{"lead.created"}, Aggregate: "count"}}
	var src events
	for i := range 30 {
		src = append(src, ev(fmt.Sprint("e", i), "lead.created", "anna", enginetest.At(cal, fmt.Sprintf("2025-03-%02d 10:00", i%28+1))))
	}
	return cal, inds, src
}

// drawEvents draws up to most events of deals and leads of three actors,
// in the minutes [start, start+span), with a source attribute of two values
// (the entity of a cohort), amounts of deals won in hundredths up to ±2^62
// (now and then past int64) and, now and then, a version known only at an
// instant around asOf.
func drawEvents(t *rapid.T, start time.Time, span int, asOf time.Time, most int) events {
	var es events
	for i := range rapid.IntRange(0, most).Draw(t, "events") {
		e := ev(fmt.Sprint("e", i), rapid.SampledFrom([]string{"deal.won", "deal.created", "lead.created"}).Draw(t, "kind"),
			rapid.SampledFrom([]string{"anna", "boris", "vera"}).Draw(t, "actor"),
			start.Add(time.Duration(rapid.IntRange(0, span-1).Draw(t, "minute"))*time.Minute))
		e.Attrs = map[string]any{"source": fmt.Sprint("s", rapid.IntRange(0, 1).Draw(t, "entity"))}
		if e.Kind == "deal.won" {
			x := decimal.New(rapid.Int64Range(-1<<62, 1<<62).Draw(t, "amount"), -2)
			if rapid.IntRange(0, 5).Draw(t, "huge") == 0 {
				x = x.Shift(int32(rapid.IntRange(1, 12).Draw(t, "shift")))
			}
			e.Amount = decimal.NewNullDecimal(x)
		}
		if rapid.IntRange(0, 5).Draw(t, "learnt") == 0 {
			e.Known = asOf.Add(-time.Duration(rapid.IntRange(-48, 60*24).Draw(t, "knownHours")) * time.Hour)
		}
		es = append(es, e)
	}
	return es
}

// drawKnownAt sets, half the time, the request's KnownAt up to 30 days
// before its as-of instant.
func drawKnownAt(t *rapid.T, req *Request) {
	if rapid.Bool().Draw(t, "knownAt") {
		req.KnownAt = req.AsOf.Add(-time.Duration(rapid.IntRange(0, 30*24).Draw(t, "knownAtHours")) * time.Hour)
	}
}

// evaluateWithin evaluates req over tab, failing t where it allocates more
// than mib MiB.
func evaluateWithin(t *testing.T, s *Set, tab *kpi.Table, req Request, mib uint64) *Result {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res, err := s.Evaluate(context.Background(), tab, req)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if got := (after.TotalAlloc - before.TotalAlloc) >> 20; got > mib {
		t.Errorf("the evaluation allocated %d MiB, want at most %d", got, mib)
	}
	return res
}

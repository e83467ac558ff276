package kpi_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func TestCohortCompileErrors(t *testing.T) {
	won := func(c *kpi.CohortDef, f func(d *kpi.IndicatorDef)) []kpi.IndicatorDef {
		d := kpi.IndicatorDef{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, Cohort: c}
		if f != nil {
			f(&d)
		}
		return []kpi.IndicatorDef{d}
	}
	ok := &kpi.CohortDef{Of: []string{"deal.created"}, Entity: "deal"}
	for _, tc := range []struct {
		name string
		defs []kpi.IndicatorDef
		want string
	}{
		{"no of", won(&kpi.CohortDef{Entity: "deal"}, nil), "indicators[0].cohort.of: of is required: the kinds of the events that make the cohort (deal.created)"},
		{"no entity", won(&kpi.CohortDef{Of: []string{"deal.created"}}, nil),
			"indicators[0].cohort.entity: entity is required: the attribute both events carry that names what converts (the deal's id)"},
		{"unknown entity", won(&kpi.CohortDef{Of: []string{"deal.created"}, Entity: "dael"}, nil),
			`indicators[0].cohort.entity: unknown attribute "dael": declare it in the plan's attributes`},
		{"bad within", won(&kpi.CohortDef{Of: []string{"deal.created"}, Entity: "deal", Within: "a month"}, nil),
			`indicators[0].cohort.within: within "a month" is not a number of days or weeks (30 days, 2 weeks)`},
		{"window", won(ok, func(d *kpi.IndicatorDef) { d.ToDate = "year" }), "indicators[0].cohort: a cohort indicator has no to_date"},
		{"by reading one", []kpi.IndicatorDef{
			{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, Cohort: ok},
			{ID: "created", Kinds: []string{"deal.created"}, Aggregate: kpi.Count},
			{ID: "rate", Formula: "won / created", By: []string{"deal"}},
			{ID: "lost", Kinds: []string{"deal.lost"}, Aggregate: kpi.Count, By: []string{"deal"}},
		}, "indicators[2].by: a breakdown of a cohort indicator is not supported\n" +
			"indicators[3].by: a breakdown beside one of a cohort indicator by the same attributes (won) is not supported"},
		{"formula", []kpi.IndicatorDef{{ID: "x", Formula: "1", Cohort: ok}},
			"indicators[0].cohort: cohort applies to an aggregate over events: make the formula read cohort indicators (won_in_30d / created)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kpi.Compile(tc.defs, kpi.Env{Attributes: map[string]kpi.AttrType{"deal": kpi.AttrString}})
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %v, want %s", err, tc.want)
			}
		})
	}
}

// Of the deals created in March, those won within 30 days (the 30th day
// after included) and those won at any time, counted in March for the
// deal's creator; each deal once; a reopened deal (its win retracted) is
// not won until it is won again; the median days to close of March's
// cohort.
func TestCohortValues(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "created", Kinds: []string{"deal.created"}, Aggregate: kpi.Count},
		{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count},
		{ID: "won_30d", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, Cohort: &kpi.CohortDef{Of: []string{"deal.created"}, Entity: "deal", Within: "30 days"}},
		{ID: "won_ever", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, Cohort: &kpi.CohortDef{Of: []string{"deal.created"}, Entity: "deal"}},
		{ID: "days_to_close", Kinds: []string{"deal.won"}, Aggregate: kpi.Median, Value: "days_between(cohort_time, time)",
			Cohort: &kpi.CohortDef{Of: []string{"deal.created"}, Entity: "deal"}},
		{ID: "cohort_conversion", Formula: "won_30d / created"},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"deal": kpi.AttrString}})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("Europe/Berlin")
	at := func(m time.Month, d, h int) time.Time { return time.Date(2025, m, d, h, 0, 0, 0, cal.Location()) }
	ev := func(id, kind, actor, deal string, t time.Time) kpi.Event {
		return kpi.Event{ID: id, Kind: kind, Actor: actor, Time: t, Attrs: map[string]any{"deal": deal}}
	}
	events := kpi.Events{
		ev("c0", "deal.created", "anna", "d0", at(2, 28, 12)), ev("w0", "deal.won", "anna", "d0", at(3, 5, 12)), // February's cohort
		ev("c1", "deal.created", "anna", "d1", at(3, 1, 9)), ev("w1", "deal.won", "boris", "d1", at(3, 31, 18)), // day 30: within
		ev("c2", "deal.created", "anna", "d2", at(3, 20, 9)), ev("w2", "deal.won", "anna", "d2", at(4, 25, 9)), // day 36: ever only
		ev("c3", "deal.created", "boris", "d3", at(3, 3, 9)), ev("w3", "deal.won", "boris", "d3", at(3, 6, 9)),
		ev("w3b", "deal.won", "boris", "d3", at(3, 8, 9)), // won twice: counts once
		ev("c4", "deal.created", "boris", "d4", at(3, 4, 9)), ev("w4", "deal.won", "boris", "d4", at(3, 10, 9)),
		{ID: "w4", Deleted: true}, // reopened
		ev("c5", "deal.created", "boris", "d5", at(3, 5, 9)), ev("w5", "deal.won", "boris", "d5", at(3, 9, 9)),
		{ID: "w5", Deleted: true}, ev("w5b", "deal.won", "boris", "d5", at(5, 2, 9)), // reopened, won again in May
		ev("c6", "deal.created", "vera", "d6", at(3, 30, 12)), // not won
	}
	march := cal.Containing(period.Month, date.New(2025, 3, 1))
	req := kpi.Request{Calendar: cal, Periods: []period.Period{march}}
	check := func(name string, res *kpi.Result) {
		t.Helper()
		for _, c := range []struct{ id, who, want string }{
			{"created", "*", "6"},
			{"won", "*", "4"},        // w0 w1 w3 w3b (w4, w5 retracted): March's wins as they happened
			{"won_30d", "*", "2"},    // d1 (day 30) and d3
			{"won_30d", "anna", "1"}, // d1, won by boris, counts for its creator
			{"won_30d", "boris", "1"},
			{"won_ever", "*", "4"},       // d1, d2, d3, d5
			{"days_to_close", "*", "33"}, // 3, 30, 36, 58 days
			{"cohort_conversion", "*", "0.3333333333333333"},
			{"won_ever", "vera", "0"},
		} {
			v, _ := res.Value(c.id, c.who, march)
			if got := v.Decimal.String(); !v.Valid || got != c.want {
				t.Errorf("%s: %s for %s = %s, want %s", name, c.id, c.who, got, c.want)
			}
		}
	}
	asOf := at(6, 1, 0)
	req.AsOf = asOf
	res, live := batchAndLive(t, set, req, events, asOf)
	check("batch", res)
	check("live", live)
	// As of the end of April, d5 is not won yet and d2 is.
	req.AsOf = at(5, 1, 0)
	res, _ = set.Evaluate(context.Background(), events, req)
	if v, _ := res.Value("won_ever", "*", march); v.Decimal.String() != "3" {
		t.Errorf("won_ever as of 1 May = %s, want 3", v.Decimal)
	}
}

// A cohort's conversions never exceed the cohort: whatever the events, the
// conversions counted in a period are at most the entities whose first
// cohort event lies in it.
func TestCohortNeverExceedsCohort(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "conv", Kinds: []string{"won"}, Aggregate: kpi.Count, Cohort: &kpi.CohortDef{Of: []string{"created"}, Entity: "deal", Within: "10 days"}},
		{ID: "conv_ever", Kinds: []string{"won"}, Aggregate: kpi.Count, Cohort: &kpi.CohortDef{Of: []string{"created"}, Entity: "deal"}},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"deal": kpi.AttrInt}})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("America/New_York")
	months, _ := cal.Periods(period.Month, date.New(2025, 1, 1), date.New(2025, 7, 1))
	rapid.Check(t, func(t *rapid.T) {
		var events kpi.Events
		for i := range rapid.IntRange(0, 80).Draw(t, "events") {
			kind := rapid.SampledFrom([]string{"created", "won"}).Draw(t, "kind")
			at := time.Date(2025, 1, 1, 0, 0, 0, 0, cal.Location()).Add(time.Duration(rapid.Int64Range(0, 180*24).Draw(t, "hour")) * time.Hour)
			events = append(events, kpi.Event{ID: fmt.Sprint(i), Kind: kind, Actor: rapid.SampledFrom([]string{"a", "b"}).Draw(t, "actor"), Time: at,
				Attrs: map[string]any{"deal": rapid.Int64Range(1, 12).Draw(t, "deal")}})
		}
		res, err := set.Evaluate(context.Background(), events, kpi.Request{Calendar: cal, Periods: months})
		if err != nil {
			t.Fatal(err)
		}
		// Each deal's first created event, and the month it lies in.
		first := map[any]kpi.Event{}
		for _, e := range events {
			if f, ok := first[e.Attrs["deal"]]; e.Kind == "created" && (!ok || e.Time.Before(f.Time) || (e.Time.Equal(f.Time) && e.ID < f.ID)) {
				first[e.Attrs["deal"]] = e
			}
		}
		for _, p := range months {
			cohort := 0
			for _, e := range first {
				if p.Contains(dateIn(e.Time, cal.Location())) {
					cohort++
				}
			}
			conv, _ := res.Value("conv", "*", p)
			ever, _ := res.Value("conv_ever", "*", p)
			if conv.Decimal.IntPart() > ever.Decimal.IntPart() || ever.Decimal.IntPart() > int64(cohort) {
				t.Fatalf("%s: %s converted within 10 days, %s ever, of a cohort of %d", cal.Label(p), conv.Decimal, ever.Decimal, cohort)
			}
		}
	})
}

// An explanation of a cumulative value lists the events of its window, and
// one of a cohort value the conversions of the period's cohort (each by its
// own instant), leaving out a deal's second win.
func TestExplainWindowAndCohort(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won_ytd", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, ToDate: "year"},
		{ID: "won_ever", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, Cohort: &kpi.CohortDef{Of: []string{"deal.created"}, Entity: "deal"}},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"deal": kpi.AttrString}})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("UTC")
	at := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 12, 0, 0, 0, time.UTC) }
	ev := func(id, kind, deal string, t time.Time) kpi.Event {
		return kpi.Event{ID: id, Kind: kind, Actor: "anna", Time: t, Attrs: map[string]any{"deal": deal}}
	}
	events := kpi.Events{
		ev("c1", "deal.created", "d1", at(2, 1)), ev("w1", "deal.won", "d1", at(3, 2)), ev("w1b", "deal.won", "d1", at(3, 9)),
		ev("w0", "deal.won", "d0", at(1, 9)),
	}
	feb := cal.Containing(period.Month, date.New(2025, 2, 1))
	march := cal.Next(feb)
	explain := func(id string, p period.Period) *kpi.Explanation {
		ex, err := explainOver(set, events, kpi.Request{Calendar: cal}, id, "anna", p, nil)
		if err != nil {
			t.Fatal(err)
		}
		return ex
	}
	included := func(ex *kpi.Explanation) string {
		var ids []string
		for _, c := range ex.Included {
			ids = append(ids, c.Event)
		}
		return fmt.Sprint(ex.Value.Decimal, " ", ids)
	}
	if ex := explain("won_ytd", march); included(ex) != "3 [w0 w1 w1b]" || ex.From != "2025-01-01" {
		t.Errorf("won_ytd in March: %s from %s", included(ex), ex.From)
	}
	if ex := explain("won_ever", feb); included(ex) != "1 [w1]" || ex.ExcludedCounts["not its entity's first conversion in the cohort's window"] != 2 {
		t.Errorf("won_ever in February: %s, left out %v", included(ex), ex.ExcludedCounts)
	}
}

// A cohort conversion counts for its cohort event's date, but its amount is
// converted at the rate of its own date, as the value is: the explanation
// shows that rate and its contributions add up to the value. The lead of
// 3 March converts on 20 March, when a dollar is 90.20 roubles.
func TestExplainCohortConversionAtItsOwnRate(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won_rub", Kinds: []string{"won"}, Aggregate: kpi.Sum, Value: "amount", Currency: "RUB",
			Cohort: &kpi.CohortDef{Of: []string{"lead"}, Entity: "deal"}},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"deal": kpi.AttrString}})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("UTC")
	at := func(day int) time.Time { return time.Date(2025, 3, day, 12, 0, 0, 0, time.UTC) }
	deal := map[string]any{"deal": "d1"}
	events := kpi.Events{
		{ID: "l1", Kind: "lead", Actor: "ann", Time: at(3), Attrs: deal},
		{ID: "w1", Kind: "won", Actor: "ann", Time: at(20), Attrs: deal, Amount: decimal.NewNullDecimal(decimal.NewFromInt(100)), Currency: "USD"},
	}
	rates := kpi.RatesFunc(func(_ context.Context, from, to string, on date.Date) (decimal.Decimal, bool, error) {
		return decimal.New(int64(9000+on.Day()), -2), from == "USD" && to == "RUB", nil
	})
	req := kpi.Request{Calendar: cal, Periods: []period.Period{cal.Containing(period.Month, date.New(2025, 3, 1))}, Rates: rates}
	res, err := set.Evaluate(context.Background(), events, req)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := res.Value("won_rub", "ann", req.Periods[0]); show(v) != "9020" {
		t.Fatalf("won_rub %s, want 9020 (100 USD at 90.20)", show(v))
	}
	ex, err := explainOver(set, events, req, "won_rub", "ann", req.Periods[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Included) != 1 || ex.Included[0].Rate != "90.2" || ex.Included[0].Value != "9020" {
		t.Errorf("explanation counts %+v, want w1 at 90.2 giving 9020", ex.Included)
	}
}

package kpi_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// A formula that reads its own prev() is a running total: it accumulates
// from the first reported period (1, 2, 3 for one win a month, whatever came
// before the report), batch and live alike. Two formulas reading each other
// through prev() accumulate the same way; prev() of an ordinary indicator in
// the first period is the value of the period before the report.
func TestRunningFormulas(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count},
		{ID: "won_to_date", Formula: "coalesce(prev(won_to_date), 0) + won"},
		{ID: "even", Formula: "coalesce(prev(odd), 0) + won"},
		{ID: "odd", Formula: "coalesce(prev(even), 0) + 10 * won"},
		{ID: "growth", Formula: "won - prev(won)"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("Europe/Berlin")
	events := annaWinsMonthly(cal.Location())
	// Two wins in December, before the report.
	events = append(events, kpi.Event{ID: "d1", Kind: "deal.won", Actor: "anna", Time: time.Date(2024, 12, 3, 12, 0, 0, 0, cal.Location())},
		kpi.Event{ID: "d2", Kind: "deal.won", Actor: "anna", Time: time.Date(2024, 12, 4, 12, 0, 0, 0, cal.Location())})
	periods, _ := cal.Periods(period.Month, date.New(2025, 1, 1), date.New(2025, 4, 1))
	req := kpi.Request{Calendar: cal, Periods: periods}
	want := map[string]string{
		"won_to_date": "1 2 3",
		"even":        "1 11 12", // 1; 10+1; 11+1
		"odd":         "10 11 21",
		"growth":      "-1 0 0", // January: 1 - 2 (December's wins)
	}
	check := func(name string, res *kpi.Result) {
		t.Helper()
		for id, w := range want {
			var got []string
			for _, p := range periods {
				v, _ := res.Value(id, "anna", p)
				got = append(got, v.Decimal.String())
			}
			if strings.Join(got, " ") != w {
				t.Errorf("%s: %s = %s, want %s", name, id, strings.Join(got, " "), w)
			}
		}
	}
	res, live := batchAndLive(t, set, req, events, time.Time{})
	check("batch", res)
	check("live", live)
	// A report of January and June accumulates through the months between,
	// which it does not show: June reads as in a report of all six (no win
	// after March). The months before June's lookback were not evaluated,
	// so the totals restarted there (won_to_date 0 in June, not 3).
	jan, jun := periods[0], cal.Shift(periods[0], 5)
	gap := kpi.Request{Calendar: cal, Periods: []period.Period{jan, jun}}
	wantGap := map[string]string{"won_to_date": "1 3", "even": "1 21", "odd": "10 12", "growth": "-1 0"}
	res, live = batchAndLive(t, set, gap, events, time.Time{})
	for name, r := range map[string]*kpi.Result{"batch": res, "live": live} {
		for id, w := range wantGap {
			var got []string
			for _, p := range gap.Periods {
				v, _ := r.Value(id, "anna", p)
				got = append(got, v.Decimal.String())
			}
			if g := strings.Join(got, " "); g != w {
				t.Errorf("%s, January and June: %s = %s, want %s", name, id, g, w)
			}
		}
	}
}

// A true same-period cycle is refused with its path.
func TestFormulaCycle(t *testing.T) {
	_, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count},
		{ID: "a", Formula: "b + won"},
		{ID: "b", Formula: "prev(b) + a"},
	}, kpi.Env{})
	if err == nil || err.Error() != "indicators[1].formula: formula depends on itself: a -> b -> a" {
		t.Fatalf("got %v", err)
	}
}

// An explanation of a running formula in a later period of a report is
// the report's value: the total accumulates from the report's first period
// (3 wins by March), as in a report with a gap (June reads 3). It was
// evaluated in its period alone, where the total restarted (1 in March, 0
// in June). A period of no report is explained as a report of it alone.
func TestExplainRunningLaterPeriod(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count},
		{ID: "won_to_date", Formula: "coalesce(prev(won_to_date), 0) + won"},
		{ID: "twice", Formula: "2 * won_to_date"},
		{ID: "last", Formula: "prev(won_to_date)"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("UTC")
	events := annaWinsMonthly(time.UTC)
	store := storeOf(t, kpi.Request{Calendar: cal}, events)
	periods, _ := cal.Periods(period.Month, date.New(2025, 1, 1), date.New(2025, 4, 1))
	jan, mar, jun := periods[0], periods[2], cal.Shift(periods[0], 5)
	for _, c := range []struct {
		name      string
		periods   []period.Period
		id        string
		p         period.Period
		want      string
		wantInput string // the value of its input won_to_date ("" undefined)
	}{
		{"March of January to March", periods, "won_to_date", mar, "3", "2"},
		{"a formula of it", periods, "twice", mar, "6", "3"},
		{"its prev()", periods, "last", mar, "2", "2"},
		{"June of January and June", []period.Period{jan, jun}, "won_to_date", jun, "3", "3"},
		{"March alone", []period.Period{jan, jun}, "won_to_date", mar, "1", ""},
		{"no periods", nil, "won_to_date", mar, "1", ""},
	} {
		req := kpi.Request{Calendar: cal, Periods: c.periods}
		ex, err := explainOver(set, store, req, c.id, "anna", c.p, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if ex.Value.Decimal.String() != c.want {
			t.Errorf("%s: %s in %s explained as %s, want %s", c.name, c.id, ex.Label, ex.Value.Decimal.String(), c.want)
		}
		in := slices.IndexFunc(ex.Inputs, func(in *kpi.Explanation) bool { return in.Indicator == "won_to_date" })
		if in < 0 || show(ex.Inputs[in].Value) != cmp.Or(c.wantInput, "undefined") {
			t.Errorf("%s: %s in %s reads won_to_date (index %d of %d inputs), want %s", c.name, c.id, ex.Label, in, len(ex.Inputs), c.wantInput)
		}
		if len(c.periods) > 0 {
			res, err := set.Evaluate(context.Background(), store, req)
			if err != nil {
				t.Fatal(err)
			}
			if v, ok := res.Value(c.id, "anna", c.p); ok && !sameValue(v, ex.Value) {
				t.Errorf("%s: the report's %s in %s is %s, the explanation's %s", c.name, c.id, ex.Label, show(v), show(ex.Value))
			}
		}
	}
}

// annaWinsMonthly is a deal.won of anna on the 10th of January, February
// and March 2025 at noon in loc (w1, w2, w3).
func annaWinsMonthly(loc *time.Location) kpi.Events {
	var events kpi.Events
	for m := time.Month(1); m <= 3; m++ {
		events = append(events, kpi.Event{ID: fmt.Sprint("w", int(m)), Kind: "deal.won", Actor: "anna", Time: time.Date(2025, m, 10, 12, 0, 0, 0, loc)})
	}
	return events
}

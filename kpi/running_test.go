package kpi_test

import (
	"fmt"
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
	var events kpi.Events
	for m := time.Month(1); m <= 3; m++ {
		events = append(events, kpi.Event{ID: fmt.Sprint("w", m), Kind: "deal.won", Actor: "anna", Time: time.Date(2025, m, 10, 12, 0, 0, 0, cal.Location())})
	}
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

package goal

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// A goal whose period, with the periods before it that prev() reads and
// the windows of the plan's cumulative indicators, spans more than the
// century kpi evaluates is refused at compile, at its period: a goal of
// seventy years over ytd - prev(ytd) compiled, and every evaluation
// failed with "the windows of the cumulative indicators span 51136 days"
// without naming the goal. Within the century, over a plain indicator
// (evaluated without the formulas' lookback) or in a plan without windows,
// a goal of seventy years compiles and evaluates.
func TestCompileRefusesPeriodPastLookbackSpan(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	ten := decimal.NewFromInt(10)
	days := func(from, to string) int { // a hand count of the days between
		a, _ := time.Parse(time.DateOnly, from)
		b, _ := time.Parse(time.DateOnly, to)
		return int(b.Sub(a).Hours() / 24)
	}
	withWindow := []kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"won"}, Aggregate: kpi.Count},
		{ID: "ytd", Kinds: []string{"won"}, Aggregate: kpi.Count, ToDate: "year"},
		{ID: "growth", Formula: "ytd - prev(ytd)"},
	}
	noWindow := []kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"won"}, Aggregate: kpi.Count},
		{ID: "growth", Formula: "won - prev(won)"},
	}
	// A recurrence counts each period at its longest: sixty years of 366
	// days, and the sixty before them, are past the century.
	_, err := Compile([]Def{{ID: "g", Indicator: "growth", Target: &ten, Period: PeriodDef{From: d("2000-01-01"), Every: period.Year, Interval: 60},
		Participants: ParticipantsDef{Users: []string{"anna"}}}}, Env{Calendar: cal, Indicators: withWindow})
	if want := fmt.Sprintf("goals[0].period: a period of up to %d days, with the 1 of its length before it", 60*366); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("a recurrence of 60 years: %v, want %s…", err, want)
	}
	for _, c := range []struct {
		inds     []kpi.IndicatorDef
		ind      string
		from, to string
		refused  bool
	}{
		{withWindow, "growth", "2000-01-01", "2070-01-01", true},
		{withWindow, "ytd", "2000-01-01", "2070-01-01", true}, // the view's lookback is evaluated with it
		{withWindow, "growth", "2000-01-01", "2050-01-01", false},
		{withWindow, "won", "2000-01-01", "2070-01-01", false},
		{noWindow, "growth", "2000-01-01", "2070-01-01", false},
	} {
		name := fmt.Sprintf("%s %s..%s of %d indicators", c.ind, c.from, c.to, len(c.inds))
		set, err := Compile([]Def{{ID: "g", Indicator: c.ind, Target: &ten, Period: PeriodDef{From: d(c.from), To: d(c.to)},
			Participants: ParticipantsDef{Users: []string{"anna"}}}}, Env{Calendar: cal, Indicators: c.inds})
		if c.refused {
			n := days(c.from, c.to)
			want := fmt.Sprintf("goals[0].period: a period of up to %d days, with the 1 of its length before it that prev() reads and the windows of cumulative indicators (up to 366 days back), spans %d days of events, more than the 36600 (about a century) an evaluation reads: shorten the period", n, 2*n)
			if err == nil || err.Error() != want {
				t.Errorf("%s: %v, want %s", name, err, want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		tab := kpi.NewTable(time.UTC)
		if err := tab.Apply(&kpi.Event{ID: "1", Kind: "won", Actor: "anna", Time: time.Date(2001, 3, 4, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		from, to := d(c.from), d(c.to)
		if _, err := set.Evaluate(context.Background(), tab, Request{AsOf: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), From: from, To: to}); err != nil {
			t.Errorf("%s: evaluation: %v", name, err)
		}
	}
}

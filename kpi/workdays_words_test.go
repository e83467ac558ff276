package kpi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// workdays() over a period of no grain its holidays do not cover names
// the period by its dates; it named it "" ("period : workdays()").
func TestWorkdaysOutsideNamesUnlabeledPeriod(t *testing.T) {
	work, err := period.BuiltinWorkCalendar("RU")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := period.LoadCalendar("UTC", period.WithWorkdays(work))
	if err != nil {
		t.Fatal(err)
	}
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "calls", Kinds: []string{"call"}, Aggregate: kpi.Count},
		{ID: "per_day", Formula: "calls / workdays()"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	p := period.Period{Start: date.New(1990, 3, 3), End: date.New(1990, 3, 10)}
	_, err = set.Evaluate(context.Background(), kpi.Events{}, kpi.Request{Calendar: cal, Periods: []period.Period{p}})
	const want = "indicator per_day, period 1990-03-03 to 1990-03-10: workdays(): "
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("%v, want %q…", err, want)
	}
}

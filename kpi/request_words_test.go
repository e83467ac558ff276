package kpi_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// A request's errors name its periods by their labels where they have
// one, by their dates where not (a period of no grain, an empty one, one
// cut short), and the periods and participants by their indices: "period
// 1 () is empty" and "periods  and  overlap" named nothing.
func TestRequestErrorsNameThePlace(t *testing.T) {
	ctx := context.Background()
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "calls", Kinds: []string{"call"}, Aggregate: kpi.Count}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("UTC")
	d := date.New
	march := cal.Containing(period.Month, d(2025, 3, 1))
	plain := func(from, to date.Date) period.Period { return period.Period{Start: from, End: to} }
	cut := march
	cut.End = d(2025, 3, 20) // a month's grain, cut short: not "2025-03"
	for _, c := range []struct {
		periods      []period.Period
		participants []string
		want         string
	}{
		{[]period.Period{march, plain(d(2025, 5, 1), d(2025, 5, 1))}, nil, "period 1 (2025-05-01 to 2025-05-01) is empty"},
		{[]period.Period{plain(d(2025, 3, 1), d(2025, 4, 1)), plain(d(2025, 2, 1), d(2025, 3, 1))}, nil,
			"periods 0 (2025-03-01 to 2025-04-01) and 1 (2025-02-01 to 2025-03-01) overlap or are not sorted"},
		{[]period.Period{cut, plain(d(2025, 3, 10), d(2025, 3, 25))}, nil,
			"periods 0 (2025-03-01 to 2025-03-20) and 1 (2025-03-10 to 2025-03-25) overlap or are not sorted"},
		{[]period.Period{march, cal.Containing(period.Week, d(2025, 3, 31))}, nil,
			"periods 0 (2025-03) and 1 (2025-W14) overlap or are not sorted"},
		{[]period.Period{march}, []string{"anna", "bob", ""}, "participant 2 of the request is empty"},
	} {
		req := kpi.Request{Calendar: cal, Periods: c.periods, Participants: c.participants}
		_, evalErr := set.Evaluate(ctx, kpi.Events{}, req)
		_, trackErr := set.Track(ctx, req, nil)
		for what, err := range map[string]error{"Evaluate": evalErr, "Track": trackErr} {
			if err == nil || err.Error() != c.want {
				t.Errorf("%s: %v, want %q", what, err, c.want)
			}
		}
	}
}

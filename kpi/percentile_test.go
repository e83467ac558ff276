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
)

func dec(s string) *decimal.Decimal {
	d := decimal.RequireFromString(s)
	return &d
}

func TestPercentileCompileErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		def  kpi.IndicatorDef
		want string
	}{
		{"percentile without p", kpi.IndicatorDef{ID: "x", Kinds: []string{"k"}, Aggregate: kpi.Percentile, Value: "amount"},
			"indicators[0].p: p is required for aggregate percentile (0.9: the 90th percentile)"},
		{"p above 1", kpi.IndicatorDef{ID: "x", Kinds: []string{"k"}, Aggregate: kpi.Percentile, Value: "amount", P: dec("90")},
			"indicators[0].p: p 90 is not between 0 and 1 (0.9: the 90th percentile)"},
		{"p below 0", kpi.IndicatorDef{ID: "x", Kinds: []string{"k"}, Aggregate: kpi.Percentile, Value: "amount", P: dec("-0.1")},
			"indicators[0].p: p -0.1 is not between 0 and 1 (0.9: the 90th percentile)"},
		{"p on median", kpi.IndicatorDef{ID: "x", Kinds: []string{"k"}, Aggregate: kpi.Median, Value: "amount", P: dec("0.5")},
			"indicators[0].p: p does not apply to median (it is the 0.5 percentile): use aggregate percentile"},
		{"p on sum", kpi.IndicatorDef{ID: "x", Kinds: []string{"k"}, Aggregate: kpi.Sum, Value: "amount", P: dec("0.5")},
			"indicators[0].p: p applies to aggregate percentile only"},
		{"median without value", kpi.IndicatorDef{ID: "x", Kinds: []string{"k"}, Aggregate: kpi.Median},
			"indicators[0].value: value is required for aggregate median"},
		{"unknown aggregate", kpi.IndicatorDef{ID: "x", Kinds: []string{"k"}, Aggregate: "p90", Value: "amount"},
			`indicators[0].aggregate: unknown aggregate "p90" (want one of count, sum, avg, min, max, distinct, median, percentile)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kpi.Compile([]kpi.IndicatorDef{tc.def}, kpi.Env{})
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %v, want %s", err, tc.want)
			}
		})
	}
}

// Percentiles of a team are over its members' events (never an average of
// the members' percentiles), a correction moves a value, a retraction takes
// it out, and percentiles of nothing are undefined.
func TestPercentileValues(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "median_days", Kinds: []string{"deal.won"}, Aggregate: kpi.Median, Value: "days"},
		{ID: "p90_days", Kinds: []string{"deal.won"}, Aggregate: kpi.Percentile, P: dec("0.9"), Value: "days"},
		{ID: "p0_amount", Kinds: []string{"deal.won"}, Aggregate: kpi.Percentile, P: dec("0"), Value: "amount"},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"days": kpi.AttrDecimal}})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("Europe/Berlin")
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, cal.Location())
	won := func(id, actor, days, amount string) kpi.Event {
		return kpi.Event{ID: id, Kind: "deal.won", Actor: actor, Time: at, Attrs: map[string]any{"days": decimal.RequireFromString(days)},
			Amount: decimal.NewNullDecimal(decimal.RequireFromString(amount))}
	}
	events := kpi.Events{
		won("1", "anna", "1.5", "100"), won("2", "anna", "4", "250.50"), won("3", "anna", "30", "10"),
		won("4", "boris", "2", "7"), won("5", "boris", "3", "8"),
		won("6", "boris", "99", "1"), {ID: "6", Deleted: true},
		won("7", "vera", "5", "5"), won("7", "vera", "6", "5"), // a correction
	}
	march := cal.Containing(period.Month, date.New(2025, 3, 1))
	april := cal.Next(march)
	res, err := set.Evaluate(context.Background(), events, kpi.Request{Calendar: cal, Periods: []period.Period{march, april}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id, who string
		p       period.Period
		want    string
	}{
		{"median_days", "anna", march, "4"},
		{"median_days", "boris", march, "2.5"},
		{"median_days", "vera", march, "6"},
		{"median_days", "*", march, "3.5"},  // 1.5 2 3 4 6 30: (3+4)/2
		{"p90_days", "anna", march, "24.8"}, // position 1.8: 4 + 0.8·26
		{"p90_days", "*", march, "18"},      // position 4.5: 6 + 0.5·24
		{"p0_amount", "*", march, "5"},
		{"median_days", "*", april, "undefined"},
	} {
		v, ok := res.Value(c.id, c.who, c.p)
		got := "undefined"
		if v.Valid {
			got = v.Decimal.String()
		}
		if !ok || got != c.want {
			t.Errorf("%s for %s in %s = %s, want %s", c.id, c.who, cal.Label(c.p), got, c.want)
		}
	}
}

// Median days to close and the 90th percentile of first-response minutes.
func ExampleMedian() {
	set, _ := kpi.Compile([]kpi.IndicatorDef{
		{ID: "median_days_to_close", Kinds: []string{"deal.won"}, Aggregate: kpi.Median, Value: "days_between(created_at, time)"},
		{ID: "p90_response_minutes", Kinds: []string{"ticket.answered"}, Aggregate: kpi.Percentile, P: dec("0.9"), Value: "minutes"},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"created_at": kpi.AttrTime, "minutes": kpi.AttrInt}})
	cal, _ := period.LoadCalendar("UTC")
	day := func(d int) time.Time { return time.Date(2025, 3, d, 12, 0, 0, 0, time.UTC) }
	var events kpi.Events
	for i, d := range []int{3, 4, 10, 20} { // won on the 25th, created on these days
		events = append(events, kpi.Event{ID: fmt.Sprint("d", i), Kind: "deal.won", Actor: "anna", Time: day(25), Attrs: map[string]any{"created_at": day(d)}})
	}
	for i, m := range []int64{5, 7, 9, 12, 15, 20, 30, 45, 60, 240} {
		events = append(events, kpi.Event{ID: fmt.Sprint("t", i), Kind: "ticket.answered", Actor: "anna", Time: day(10), Attrs: map[string]any{"minutes": m}})
	}
	march := cal.Containing(period.Month, date.New(2025, 3, 1))
	res, _ := set.Evaluate(context.Background(), events, kpi.Request{Calendar: cal, Periods: []period.Period{march}})
	days, _ := res.Value("median_days_to_close", "anna", march)
	p90, _ := res.Value("p90_response_minutes", "anna", march)
	fmt.Println("median days to close:", days.Decimal)
	fmt.Println("P90 first response, minutes:", p90.Decimal)
	// Output:
	// median days to close: 18
	// P90 first response, minutes: 78
}

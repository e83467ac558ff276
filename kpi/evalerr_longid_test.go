package kpi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// An evaluation that fails on an event (its filter's or its value's
// arithmetic past the number limit) names the event's id cut to 64 bytes,
// as the event's own refusal does: an id of 100 KB made an error of 100 KB.
func TestEvaluationErrorsQuoteLongIDsCut(t *testing.T) {
	ctx := context.Background()
	cal, err := period.LoadCalendar("UTC")
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 100_000)
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	evs := kpi.Events{
		{ID: "c1", Kind: "created", Actor: "anna", Time: at.Add(-time.Hour), Attrs: map[string]any{"deal": "d1"}},
		{ID: long, Kind: "won", Actor: "anna", Time: at, Amount: decimal.NewNullDecimal(decimal.New(1, 999)), Attrs: map[string]any{"deal": "d1"}},
	}
	month := cal.Containing(period.Month, date.New(2025, 3, 10))
	req := kpi.Request{Calendar: cal, Periods: []period.Period{month}}
	quoted := `"` + strings.Repeat("x", 64) + `…"`
	const limit = `number out of range (limit: 1000 digits)`
	for _, c := range []struct {
		def  kpi.IndicatorDef
		want string
	}{
		{kpi.IndicatorDef{ID: "won", Kinds: []string{"won"}, Aggregate: kpi.Count, Where: "abs(amount) * 10 > 0"},
			"indicator won, filter of event " + quoted + ": " + limit + " (1:13)"},
		{kpi.IndicatorDef{ID: "won", Kinds: []string{"won"}, Aggregate: kpi.Sum, Value: "amount * 10"},
			"indicator won, value of event " + quoted + ": " + limit + " (1:8)"},
		{kpi.IndicatorDef{ID: "won", Kinds: []string{"won"}, Aggregate: kpi.Count, Where: "abs(amount) * 10 > 0", Cohort: &kpi.CohortDef{Of: []string{"created"}, Entity: "deal"}},
			"indicator won, filter of event " + quoted + ": " + limit + " (1:13)"},
	} {
		set, err := kpi.Compile([]kpi.IndicatorDef{c.def}, kpi.Env{Attributes: map[string]kpi.AttrType{"deal": kpi.AttrString}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = set.Evaluate(ctx, evs, req)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: %.300v, want %s", c.want[:30], err, c.want)
		}
	}
}

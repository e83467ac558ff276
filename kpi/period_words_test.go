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

// A formula's failure in a period of no label (a span of no grain) names
// the period by its dates, as the request's errors do; it named it ""
// ("period : number out of range"). A labeled period keeps its label.
func TestFormulaErrorNamesUnlabeledPeriod(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"won"}, Aggregate: kpi.Sum, Value: "amount"},
		{ID: "big", Formula: "won * 10"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	huge := decimal.New(1, 999) // 1000 digits: valid, but times 10 is not
	evs := kpi.Events{{ID: "1", Kind: "won", Actor: "anna", Time: time.Date(2025, 3, 4, 12, 0, 0, 0, time.UTC), Amount: decimal.NewNullDecimal(huge)}}
	for _, c := range []struct {
		p    period.Period
		want string
	}{
		{period.Period{Start: date.New(2025, 3, 3), End: date.New(2025, 3, 10)}, `indicator big, participant "anna", period 2025-03-03 to 2025-03-10: `},
		{cal.Containing(period.Month, date.New(2025, 3, 1)), `indicator big, participant "anna", period 2025-03: `},
	} {
		_, err := set.Evaluate(context.Background(), evs, kpi.Request{Calendar: cal, Periods: []period.Period{c.p}})
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%v, want %q…", err, c.want)
		}
	}
}

// Explain's refusal of an unknown participant in a period of no label
// names the period by its dates; it read "no event of the indicator's
// kinds in  and not a participant".
func TestExplainUnknownParticipantNamesUnlabeledPeriod(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "n", Kinds: []string{"k"}, Aggregate: kpi.Count}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	evs := kpi.Events{{ID: "a1", Kind: "k", Actor: "anna", Time: time.Date(2025, 3, 4, 12, 0, 0, 0, time.UTC)}}
	p := period.Period{Start: date.New(2025, 3, 3), End: date.New(2025, 3, 10)}
	_, err = explainOver(set, evs, kpi.Request{Calendar: cal, Periods: []period.Period{p}}, "n", "anja", p, nil)
	const want = `unknown participant "anja": no event of the indicator's kinds in 2025-03-03 to 2025-03-10 and not a participant of the request (did you mean "anna"?)`
	if err == nil || err.Error() != want {
		t.Errorf("%v, want %s", err, want)
	}
}

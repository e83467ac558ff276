package goalkit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// A cell's period given by its dates alone, as the report's JSON writes
// period_start and period_end, is the report's period of those dates: a
// sale on the 5th of each of January to March makes anna's running count
// 2 in February and her change against January 0, and the explanation
// says so, not 1 and 1 as a report of February alone would.
func TestExplainAPeriodGivenByItsDatesIsTheReports(t *testing.T) {
	plan := compile(t, parseDef(t, fmt.Sprintf(prevPropPlan, "UTC", "month", "2025-05-01")))
	loc := plan.Calendar().Location()
	var evs []kpi.Event
	for m := 1; m <= 3; m++ {
		evs = append(evs, kpi.Event{ID: fmt.Sprint(m), Kind: "sale", Actor: "anna", Time: time.Date(2025, time.Month(m), 5, 0, 0, 0, 0, loc)})
	}
	store := storeOf(t, loc, evs...)
	asOf := time.Date(2025, 6, 1, 0, 0, 0, 0, loc)
	feb := plan.Periods()[1]
	for id, want := range map[string]string{"run": "2", "growth": "0"} {
		ex, err := plan.Explain(context.Background(), store, asOf, goalkit.Cell{Indicator: id, Participant: "anna", Period: period.Period{Start: feb.Start, End: feb.End}})
		if err != nil {
			t.Fatal(err)
		}
		if got := ex.Value.Decimal.String(); !ex.Value.Valid || got != want || ex.Label != "2025-02" {
			t.Errorf("%s of anna in %s, by its dates: %s (valid %t) in %q, want %s in 2025-02", id, feb.Start, got, ex.Value.Valid, ex.Label, want)
		}
	}
}

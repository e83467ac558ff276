package goalkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// ExplainChange compares its request's two periods: a WithPeriods among
// the options is replaced, so its periods are not checked either (its
// comment said so); an empty WithPeriods() failed the explanation with
// "WithPeriods: no period given".
func TestExplainChangeReplacesWithPeriods(t *testing.T) {
	plan := parsePlan(t, changePlan)
	store := memory.New(time.UTC)
	for _, evs := range [][]kpi.Event{deals("anna", "web", 2, 10, 2, "100"), deals("anna", "web", 3, 10, 5, "100")} {
		for _, e := range evs {
			if err := store.Apply(e); err != nil {
				t.Fatal(err)
			}
		}
	}
	ch, err := plan.ExplainChange(context.Background(), store, time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC),
		goalkit.ChangeRequest{Indicator: "won", Base: month(2), Current: month(3)}, goalkit.WithPeriods())
	if err != nil {
		t.Fatal(err)
	}
	if got := ch.Delta.String(); got != "3" {
		t.Errorf("the change of won from February (2) to March (5) is %s, want 3", got)
	}
}

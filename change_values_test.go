package goalkit_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// ExplainChange splits a change by an attribute's values: two values with
// one text (events without a source and events whose source is the text
// "(none)"; the string "5" and the integer 5) are two parts, each with its
// own values, and nothing is left for the "(rest)" part, which is for
// events without an actor. Revenue goes from 300 to 600: the events
// without a source from 100 to 200, those of source "(none)" from 200 to
// 400.
func TestExplainChangeKeepsValuesOfOneTextApart(t *testing.T) {
	plan := parsePlan(t, changePlan)
	var evs []kpi.Event
	add := func(id string, m time.Month, attrs map[string]any, amount int64) {
		evs = append(evs, kpi.Event{ID: id, Kind: "deal.won", Actor: "anna", Time: time.Date(2025, m, 3, 10, 0, 0, 0, time.UTC),
			Amount: decimal.NewNullDecimal(decimal.NewFromInt(amount)), Attrs: attrs})
	}
	add("a", 2, nil, 100)
	add("b", 2, map[string]any{"source": "(none)"}, 200)
	add("c", 3, nil, 200)
	add("d", 3, map[string]any{"source": "(none)"}, 400)
	store := storeOf(t, time.UTC, evs...)
	c, err := plan.ExplainChange(context.Background(), store, time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC),
		goalkit.ChangeRequest{Indicator: "revenue", Base: month(2), Current: month(3), By: "source"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Delta.String() != "300" {
		t.Fatalf("change %s, want 300", c.Delta)
	}
	var deltas []string
	for _, p := range c.Values.Parts {
		if p.Key == "(rest)" {
			t.Errorf("a (rest) part of %s, but every event has an actor", p.Delta)
		}
		deltas = append(deltas, p.Delta.String())
	}
	slices.Sort(deltas)
	if !slices.Equal(deltas, []string{"100", "200"}) {
		t.Errorf("the parts by source change by %v, want 100 (no source) and 200 (source \"(none)\"): %+v", deltas, c.Values.Parts)
	}
}

// ExplainChange converts amounts as the report does: an indicator at the
// plan's budget rates splits the change of the report's values, not of
// the amounts left unpriced, and reads the teams of the report's options.
// Revenue in RUB at 90 a dollar goes from 9 000
// (100 USD) to 27 000 (300 USD).
func TestExplainChangeAtBudgetRates(t *testing.T) {
	plan := parsePlan(t, `timezone: UTC
indicators:
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount, unit: money, currency: RUB, rate: budget}
budget_rates: {USD/RUB: "90"}
report: {grain: month, from: 2025-02-01, to: 2025-04-01}
`)
	usd := func(id string, m time.Month, amount int64) kpi.Event {
		return kpi.Event{ID: id, Kind: "deal.won", Actor: "anna", Time: time.Date(2025, m, 3, 10, 0, 0, 0, time.UTC),
			Amount: decimal.NewNullDecimal(decimal.NewFromInt(amount)), Currency: "USD"}
	}
	store := storeOf(t, time.UTC, usd("a", 2, 100), usd("b", 3, 300))
	asOf := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	rep, err := plan.Evaluate(context.Background(), store, asOf)
	if err != nil {
		t.Fatal(err)
	}
	for m, want := range map[time.Month]string{2: "9000", 3: "27000"} {
		if v, _ := rep.Values.Value("revenue", "anna", month(m)); !v.Valid || v.Decimal.String() != want {
			t.Fatalf("the report's revenue in month %d is %v, want %s", m, v, want)
		}
	}
	// Everyone's, and a team's of the report's options.
	for _, who := range []string{"", "sales"} {
		c, err := plan.ExplainChange(context.Background(), store, asOf, goalkit.ChangeRequest{Indicator: "revenue", Base: month(2), Current: month(3), Participant: who},
			goalkit.WithGroups(org.Group{ID: "sales", Members: []string{"anna"}}))
		if err != nil {
			t.Fatal(err)
		}
		if c.BaseValue.String() != "9000" || c.Value.String() != "27000" || c.Delta.String() != "18000" {
			t.Errorf("%q: change from %s to %s (%s), want from 9000 to 27000 (18000)", who, c.BaseValue, c.Value, c.Delta)
		}
	}
}

// The change of an average is that of the report's averages: events
// without a value are not in the average, nor in its denominator. The
// average deal goes from 100 (one deal of 100 and one without an amount)
// to 300.
func TestExplainChangeOfAnAverageSkipsEventsWithoutValue(t *testing.T) {
	plan := parsePlan(t, changePlan)
	evs := deals("anna", "web", 2, 1, 1, "100")
	evs = append(evs, kpi.Event{ID: "no-amount", Kind: "deal.won", Actor: "anna", Time: time.Date(2025, 2, 20, 10, 0, 0, 0, time.UTC)})
	evs = append(evs, deals("anna", "web", 3, 1, 1, "300")...)
	store := storeOf(t, time.UTC, evs...)
	asOf := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	rep, err := plan.Evaluate(context.Background(), store, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := rep.Values.Value("avg_deal", "*", month(2)); !v.Valid || v.Decimal.String() != "100" {
		t.Fatalf("the report's average deal in February: %v, want 100", v)
	}
	c, err := plan.ExplainChange(context.Background(), store, asOf, goalkit.ChangeRequest{Indicator: "avg_deal", Base: month(2), Current: month(3)})
	if err != nil {
		t.Fatal(err)
	}
	if !c.BaseValue.Equal(decimal.NewFromInt(100)) || !c.Value.Equal(decimal.NewFromInt(300)) || !c.Delta.Equal(decimal.NewFromInt(200)) {
		t.Errorf("change from %s to %s (%s), want from 100 to 300 (200)", c.BaseValue, c.Value, c.Delta)
	}
}

// The two values of a change are the report's, to the places a ratio's
// split is written with, whoever's value it is and whatever events lack
// an amount; a participant with no event at all is no one the report
// knows, and ExplainChange refuses it, as Explain does.
func TestPropExplainChangeValuesAreTheReports(t *testing.T) {
	plan := parsePlan(t, changePlan)
	asOf := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	rapid.Check(t, func(t *rapid.T) {
		var evs []kpi.Event
		for _, who := range []string{"anna", "boris"} {
			for _, m := range []time.Month{2, 3} {
				n := rapid.IntRange(0, 5).Draw(t, "n")
				evs = append(evs, deals(who, "web", m, n, rapid.IntRange(0, n).Draw(t, "won"), fmt.Sprint(rapid.IntRange(1, 900).Draw(t, "amount")))...)
				for i := range rapid.IntRange(0, 2).Draw(t, "without amount") {
					evs = append(evs, kpi.Event{ID: fmt.Sprintf("x-%s-%d-%d", who, m, i), Kind: "deal.won", Actor: who, Time: time.Date(2025, m, 20, 10, 0, 0, 0, time.UTC)})
				}
			}
		}
		store := storeOf(t, time.UTC, evs...)
		rep, err := plan.Evaluate(context.Background(), store, asOf)
		if err != nil {
			t.Fatal(err)
		}
		tol := decimal.New(1, -6)
		for _, ind := range []string{"created", "revenue", "conversion", "avg_deal"} {
			for _, who := range []string{"", "anna"} {
				c, err := plan.ExplainChange(context.Background(), store, asOf, goalkit.ChangeRequest{Indicator: ind, Base: month(2), Current: month(3), Participant: who})
				if err != nil {
					if strings.Contains(err.Error(), "denominator is 0") {
						continue
					}
					if strings.Contains(err.Error(), `unknown participant "`+who+`"`) && !slices.ContainsFunc(evs, func(e kpi.Event) bool { return e.Actor == who }) {
						continue
					}
					t.Fatal(err)
				}
				part := who
				if part == "" {
					part = "*"
				}
				for _, v := range []struct {
					got decimal.Decimal
					m   time.Month
				}{{c.BaseValue, 2}, {c.Value, 3}} {
					want, _ := rep.Values.Value(ind, part, month(v.m))
					if !want.Valid {
						want = decimal.NewNullDecimal(decimal.Zero) // a participant without events: 0 in a change
					}
					if v.got.Sub(want.Decimal).Abs().Cmp(tol) > 0 {
						t.Fatalf("%s of %s in month %d: the change says %s, the report %s", ind, part, v.m, v.got, want.Decimal)
					}
				}
			}
		}
	})
}

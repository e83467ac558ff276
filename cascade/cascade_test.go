package cascade_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// A target split by capacity among units and by working days over months;
// u3 moves from sales_a to support on 15 March, so their deal of 10 March is
// sales' and that of 20 March support's.
func TestEvaluateByCapacityAndMonths(t *testing.T) {
	e := newEnv(t)
	s := e.compile(t, cascade.Def{ID: "won_q1", Indicator: "won", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("100"),
		Split: &cascade.SplitDef{By: cascade.Capacity, Into: cascade.IntoUnits, Weights: map[string]decimal.Decimal{"support": dec("0.5")},
			Then: &cascade.SplitDef{By: cascade.WorkingDays, Into: "month"}}}})
	evs := events{
		e.event("1", "deal.won", "u1", "2025-01-10", ""),
		e.event("2", "deal.won", "u3", "2025-03-10", ""),
		e.event("3", "deal.won", "u3", "2025-03-20", ""),
		e.event("4", "deal.won", "u4", "2025-02-20", ""),
	}
	res, err := evaluate(s, evs, sampleOrg)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	res.Trees[0].Root.Walk(func(n *cascade.Node) {
		got = append(got, n.ID+" "+n.Target.Decimal.String()+" "+n.Actual.Decimal.String()+" "+string(n.Origin))
	})
	// 100 by capacity 1 : 0.5 → 67 and 33; the months by 23, 20 and 21
	// working days.
	want := []string{
		"company 2025-Q1 100 4 declared",
		"sales 2025-Q1 67 2 split", "sales 2025-01 24 1 split", "sales 2025-02 21 0 split", "sales 2025-03 22 1 split",
		"support 2025-Q1 33 2 split", "support 2025-01 12 0 split", "support 2025-02 10 1 split", "support 2025-03 11 1 split",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	js, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"issues":[]`) || !strings.Contains(string(js), `"contribution":"0.02"`) {
		t.Fatalf("json: %s", js)
	}
}

// A part with no working days gets target 0 and weight 0, reported: the
// weight is left out only where no split or roll-up weighs the node.
func TestZeroWeightReported(t *testing.T) {
	e := newEnv(t)
	s := e.compile(t, cascade.Def{ID: "w", Indicator: "won", Root: cascade.NodeDef{Period: "2025-W01", Target: dp("10"),
		Split: &cascade.SplitDef{By: cascade.WorkingDays, Into: "day"}}})
	res, err := evaluate(s, events{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	root := res.Trees[0].Root
	if root.Weight.Valid {
		t.Errorf("the root has a weight: %v", root.Weight)
	}
	var got []string
	for _, ch := range root.Children {
		got = append(got, ch.Period.Start.String()+" "+ch.Target.Decimal.String()+"/"+ch.Weight.Decimal.String()+fmt.Sprint(ch.Weight.Valid))
	}
	want := "[2024-12-30 2/1true 2024-12-31 2/1true 2025-01-01 2/1true 2025-01-02 2/1true 2025-01-03 2/1true 2025-01-04 0/0true 2025-01-05 0/0true]"
	if fmt.Sprint(got) != want {
		t.Fatalf("got  %v\nwant %s", got, want)
	}
	js, err := json.Marshal(root.Children[5])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"weight":"0"`) {
		t.Errorf("the JSON leaves the weight out: %s", js)
	}
}

// TestTimeSplitOutsideTheCalendar: a split by working days needs the
// holidays of every day it splits.
func TestTimeSplitOutsideTheCalendar(t *testing.T) {
	ru, err := period.BuiltinWorkCalendar("RU")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := period.LoadCalendar("Europe/Moscow", period.WithWorkdays(ru))
	if err != nil {
		t.Fatal(err)
	}
	q, _ := cal.ParseLabel("2026-Q4")
	if _, _, err := cascade.TimeSplit(cal, q, period.Month, decimal.NewFromInt(90), cascade.WorkingDays, 0); err != nil {
		t.Fatalf("2026-Q4: %v", err)
	}
	y, _ := cal.ParseLabel("2027")
	_, _, err = cascade.TimeSplit(cal, y, period.Month, decimal.NewFromInt(90), cascade.WorkingDays, 0)
	var oe *period.OutsideError
	if err == nil || !errors.As(err, &oe) || err.Error() != "split: the working days of 2027: 2027-01-01 is outside the working-day calendar RU (years 2024-2026): add the year to the calendar, or declare outside: weekends" {
		t.Fatalf("2027: %v", err)
	}
	// By calendar days the calendar's years do not matter.
	if _, _, err := cascade.TimeSplit(cal, y, period.Month, decimal.NewFromInt(90), cascade.CalendarDays, 0); err != nil {
		t.Fatalf("2027 by calendar days: %v", err)
	}
}

package goalkittest_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// streamStats checks every version of a stream against its shape and
// counts the edge cases it holds.
func streamStats(t *testing.T, cal *period.Calendar, s goalkittest.Shape, stream []kpi.Event, seen map[string]int) {
	lo, hi := decimal.New(s.MinAmount, 0), decimal.New(s.MaxAmount, 0)
	huge := [2]decimal.Decimal{decimal.New(1<<61, 0), decimal.New(1<<62, 0)}
	var bounds []time.Time
	for _, p := range s.Periods {
		start, end := cal.Bounds(p)
		bounds = append(bounds, start, end)
	}
	zones := s.Zones
	if len(zones) == 0 {
		zones = []*time.Location{cal.Location()}
	}
	scales := s.Scales
	if len(scales) == 0 {
		scales = []int32{2}
	}
	perID := map[string][]kpi.Event{}
	for _, e := range stream {
		prev := perID[e.ID]
		perID[e.ID] = append(prev, e)
		switch {
		case e.Deleted && len(prev) == 0:
			seen["retraction first"]++
		case e.Deleted:
			seen["retraction"]++
		case len(prev) > 0 && reflect.DeepEqual(prev[len(prev)-1], e):
			seen["duplicate"]++
		case slices.ContainsFunc(prev, func(p kpi.Event) bool { return reflect.DeepEqual(p, e) }):
			seen["late redelivery"]++
		case len(prev) > 0:
			seen["correction"]++
		}
		if e.Deleted {
			if !reflect.DeepEqual(e, kpi.Event{ID: e.ID, Deleted: true}) {
				t.Fatalf("a retraction with fields: %+v", e)
			}
			continue
		}
		if !slices.Contains(s.Kinds, e.Kind) || !slices.Contains(s.Actors, e.Actor) || (e.Currency != "" && !slices.Contains(s.Currencies, e.Currency)) {
			t.Fatalf("kind, actor or currency outside the shape: %+v", e)
		}
		if !slices.Contains(zones, e.Time.Location()) {
			t.Fatalf("instant %v in a zone outside the shape", e.Time)
		}
		seen["zone "+e.Time.Location().String()]++
		if e.Time.Nanosecond() != 0 {
			seen["sub-second instant"]++
		}
		if slices.ContainsFunc(bounds, e.Time.Equal) {
			seen["on a boundary"]++
		}
		if a := e.Amount.Decimal; e.Amount.Valid {
			switch c := a.Coefficient(); {
			case slices.ContainsFunc(s.Amounts, a.Equal):
				seen["candidate amount"]++
			case !slices.Contains(scales, -a.Exponent()):
				t.Fatalf("amount %s at a scale outside %v", a, scales)
			case s.HugeAmounts && c.Cmp(huge[0].BigInt()) >= 0 && c.Cmp(huge[1].BigInt()) <= 0:
				seen["huge amount"]++
			case a.LessThan(lo) || a.GreaterThan(hi):
				t.Fatalf("amount %s outside [%s, %s]", a, lo, hi)
			case a.IsNegative():
				seen["negative amount"]++
			}
			if e.Currency == "" {
				seen["amount without currency"]++
			}
		} else if e.Currency != "" {
			seen["currency without amount"]++
		}
		if e.Actor == "" {
			seen["no actor"]++
		}
		for n, v := range e.Attrs {
			if !slices.ContainsFunc(s.Attrs[n], func(w any) bool { return reflect.DeepEqual(v, w) }) {
				t.Fatalf("attribute %s = %v outside the shape", n, v)
			}
			seen[reflect.TypeOf(v).String()]++
		}
	}
	for _, vs := range perID {
		if len(vs) == 1 && vs[0].Deleted {
			seen["retraction of an event never sent"]++
		}
	}
}

// TestStreamEdges draws streams of a shape that asks for every edge case
// and checks that each version stays in the shape and that every edge case
// comes up.
func TestStreamEdges(t *testing.T) {
	cal, err := period.LoadCalendar("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	days, err := cal.Periods(period.Day, date.New(2025, 3, 28), date.New(2025, 4, 2))
	if err != nil {
		t.Fatal(err)
	}
	plus3 := time.FixedZone("", 3*3600)
	s := goalkittest.Shape{
		Kinds: []string{"a", "b"}, Actors: []string{"", "u1"}, Currencies: []string{"", "RUB"},
		Amounts: []decimal.Decimal{decimal.New(100, 0)}, MinAmount: -10, MaxAmount: 1000, Scales: []int32{0, 3}, HugeAmounts: true,
		Attrs: map[string][]any{"source": {"web", int64(3)}, "vip": {true, "true"}, "score": {decimal.New(15, -1)},
			"closed": {time.Date(2025, 3, 30, 1, 0, 0, 0, time.UTC)}},
		Periods: days, Zones: []*time.Location{time.UTC, plus3}, MaxIDs: 20, Redeliveries: true, Orphans: true,
	}
	seen := map[string]int{}
	gen := goalkittest.Stream(cal, s)
	for i := range 300 { // fixed seeds: the same streams every run
		streamStats(t, cal, s, gen.Example(i), seen)
	}
	for _, edge := range []string{"retraction first", "retraction of an event never sent", "retraction", "duplicate", "late redelivery", "correction",
		"zone UTC", "zone ", "sub-second instant", "on a boundary", "candidate amount", "huge amount", "negative amount",
		"amount without currency", "currency without amount", "no actor", "string", "int64", "bool", "decimal.Decimal", "time.Time"} {
		if seen[edge] == 0 {
			t.Errorf("no %s in any stream: %v", edge, seen)
		}
	}
}

// TestStreamDefaults checks that a shape without the options draws none of
// their cases: no retraction before its event, no late redelivery, instants
// in the calendar's zone, amounts with two decimal places in [0, MaxAmount].
func TestStreamDefaults(t *testing.T) {
	cal, err := period.LoadCalendar("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	months, err := cal.Periods(period.Month, date.New(2025, 1, 1), date.New(2025, 4, 1))
	if err != nil {
		t.Fatal(err)
	}
	s := goalkittest.Shape{Kinds: []string{"a"}, Actors: []string{"u1", "u2"}, Currencies: []string{"USD"}, MaxAmount: 500, Periods: months}
	seen := map[string]int{}
	gen := goalkittest.Stream(cal, s)
	for i := range 300 { // fixed seeds: the same streams every run
		streamStats(t, cal, s, gen.Example(i), seen)
	}
	for _, edge := range []string{"retraction first", "retraction of an event never sent", "late redelivery", "huge amount", "negative amount", "amount without currency"} {
		if seen[edge] > 0 {
			t.Errorf("%d of %s without the option: %v", seen[edge], edge, seen)
		}
	}
	for _, edge := range []string{"retraction", "duplicate", "correction", "zone America/New_York", "on a boundary", "currency without amount"} {
		if seen[edge] == 0 {
			t.Errorf("no %s: %v", edge, seen)
		}
	}
}

// A plan with USD and RUB rates is drawn with USD, RUB, a currency it names
// nowhere and none, not with its first currency alone.
func TestShapeDrawsEveryCurrency(t *testing.T) {
	plan := goalkittest.CompilePlan(t, `
timezone: UTC
indicators:
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount, currency: RUB, rate: budget}
budget_rates: {USD/RUB: "90", EUR/RUB: "100"}
report: {grain: month, from: 2025-01-01, to: 2025-02-01}
`)
	s := goalkittest.ShapeOf(plan)
	if got := fmt.Sprint(s.Currencies); got != "[RUB EUR USD XTS ]" {
		t.Fatalf("currencies %s", got)
	}
	seen := map[string]bool{}
	for i := range 200 {
		for _, e := range goalkittest.Events(plan.Calendar(), s).Example(i) {
			seen[e.Currency] = true
		}
	}
	for _, c := range []string{"RUB", "EUR", "USD", goalkittest.UnknownCurrency, ""} {
		if !seen[c] {
			t.Errorf("no event in %q", c)
		}
	}
}

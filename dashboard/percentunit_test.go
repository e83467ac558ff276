package dashboard_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// TestPercentUnit: the values of an indicator whose unit is percent carry
// the percent sign wherever the dashboard writes them (a goal's card, the
// teams' table, a breakdown, an explanation), in each language: 2 won of
// 3 created is 66.6667%, of the web's 2 created 1 won is 50%.
func TestPercentUnit(t *testing.T) {
	ctx := context.Background()
	data, page := adminDashboard(t, `
timezone: Europe/Moscow
attributes: {source: string}
indicators:
  - {id: created, kinds: [deal.created], aggregate: count, by: [source]}
  - {id: won, kinds: [deal.won], aggregate: count, by: [source]}
  - {id: conversion, name: Conversion, formula: won / created * 100, unit: percent, by: [source]}
goals:
  - {id: conv, name: Conversion goal, indicator: conversion, target: 40, period: {from: 2026-12-01, every: month}, participants: {users: [anna]}}
report: {grain: month, from: 2026-12-01, to: 2027-01-01}
`)
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	var evs []kpi.Event
	for i, e := range []struct{ id, kind, source string }{
		{"c1", "deal.created", "web"}, {"c2", "deal.created", "web"}, {"c3", "deal.created", "ads"},
		{"w1", "deal.won", "web"}, {"w2", "deal.won", "ads"},
	} {
		evs = append(evs, kpi.Event{ID: e.id, Kind: e.kind, Time: at.Add(time.Duration(i) * time.Hour), Actor: "anna", Attrs: map[string]any{"source": e.source}})
	}
	if err := data.tracker.Apply(ctx, evs...); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{"/?lang=en", `data-field="actual"><a class="explain" href="[^"]*">66.6667%</a>`},
		{"/?lang=ru", `data-field="actual"><a class="explain" href="[^"]*">66,6667 %</a>`},
		{"/teams?lang=en", `>66.6667%</a>`},
		{"/breakdowns?lang=en", `>50%</a>`},
		{"/explain?indicator=conversion&participant=anna&grain=month&from=2026-12-01&to=2027-01-01&lang=en", `66.6667%`},
	} {
		body := page(c.path)
		if !regexp.MustCompile(strings.ReplaceAll(c.want, " %", "\u00a0%")).MatchString(body) {
			t.Errorf("%s: no %s", c.path, c.want)
		}
	}
}

package goalkit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/problem"
)

// A filter that compares an attribute with a value no event carries is a
// loud warning with the values seen and a did-you-mean, and most events on
// UTC midnight under another zone is a warning that dates were read as UTC.
func TestLintData(t *testing.T) {
	def := parseDef(t, `
timezone: Europe/Moscow
attributes: {product: string}
indicators:
  - {id: gtx, kinds: [deal.won], where: 'product == "GTX Pro"', aggregate: count}
  - {id: web, kinds: [lead.created], where: 'kind == "lead.created" && product in ["MG Special", "GTXPro"]', aggregate: count}
report: {grain: month, from: 2017-01-01, to: 2017-04-01}
`)
	var events []kpi.Event
	products := []string{"GTXPro", "MG Special", "GTX Basic"}
	for i := range 8800 {
		day := time.Date(2017, 1, 1+i%80, 0, 0, 0, 0, time.UTC) // dates read as UTC midnight
		kind := "deal.won"
		if i%2 == 1 {
			kind = "lead.created"
		}
		events = append(events, kpi.Event{ID: fmt.Sprint(i), Kind: kind, Actor: "a", Time: day,
			Attrs: map[string]any{"product": products[i%3]}})
	}
	got, err := goalkit.Lint(context.Background(), def, kpi.Events(events), time.Date(2017, 4, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`plan.yaml:5: warning: indicators[0].where: product == "GTX Pro" matched 0 of 4,400 events of kinds deal.won; values seen: GTX Basic, GTXPro, MG Special (did you mean "GTXPro"?)`,
		`plan.yaml:2: warning: timezone: 8,800 of 8,800 events (100 %) are at exactly 00:00 UTC, 03:00 in Europe/Moscow: were dates read as UTC midnight? Read date columns in the plan's zone, or an event a day early lands in the previous day, month or year`,
	}
	if len(got) != len(want) {
		t.Fatalf("got %d findings:\n%v", len(got), got)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("finding %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
	if got[1].Code != goalkit.RuleUTCMidnight || got[0].Severity != problem.SevWarning {
		t.Errorf("codes: %v %v", got[0].Code, got[1].Code)
	}
}

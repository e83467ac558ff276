package goalkit_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/problem"
)

func TestParseDefinitionErrors(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"unknown key with suggestion", `
timezone: Europe/Berlin
indicators:
  - id: won
    kinds: [deal.won]
    agregate: count
report: {grain: month, from: 2025-01-01, to: 2025-02-01}
`, `plan.yaml:6: indicators[0].agregate: unknown key "agregate" (did you mean "aggregate"?)`},
		{"wrong type", `
timezone: Europe/Berlin
indicators: {id: won}
report: {grain: month, from: 2025-01-01, to: 2025-02-01}
`, `plan.yaml:3: indicators: want a list, got a mapping`},
		{"bad grain and date", `
timezone: Europe/Berlin
indicators: []
report: {grain: fortnight, from: 2025-13-01, to: 2025-02-01}
`, "plan.yaml:4: report.grain: "},
		// The YAML library refuses the character without a line.
		{"NUL on line 3", "timezone: UTC\nindicators:\n  - {id: won, kinds: [deal.\x00won], aggregate: count}\n",
			"plan.yaml:3: the control character U+0000 in column 28 is not allowed"},
		{"duplicate key", `
timezone: Europe/Berlin
timezone: UTC
indicators: []
report: {grain: month, from: 2025-01-01, to: 2025-02-01}
`, `plan.yaml:3: timezone: duplicate key "timezone"`},
		{"bad attribute type", `
timezone: Europe/Berlin
attributes: {source: text}
indicators: []
report: {grain: month, from: 2025-01-01, to: 2025-02-01}
`, `plan.yaml:3: attributes.source: unknown attribute type "text" (want one of string, int, decimal, bool, time)`},
		{"not yaml", "timezone: [unclosed\n", "plan.yaml:1: "},
		{"empty", "", "plan.yaml: file is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := goalkit.ParseDefinition("plan.yaml", []byte(c.src))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("error:\n%s\nwant it to start with:\n%s", err, c.want)
			}
		})
	}
}

func TestCompileReportsEveryProblemSortedByPath(t *testing.T) {
	src := `
timezone: Europe/Nowhere
attributes: {source: string, amount: decimal}
indicators:
  - id: won
    kinds: [deal.won]
    aggregate: count
    where: sorce == "web"
  - id: won
    kinds: [deal.won]
    aggregate: total
  - id: rev
    kinds: [deal.won]
    aggregate: sum
  - id: conv
    formula: won / created
  - id: a
    formula: b + 1
  - id: b
    formula: a * 2
report: {grain: month, from: 2025-02-01, to: 2025-01-01}
`
	def, err := goalkit.ParseDefinition("plan.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	_, err = goalkit.Compile(def)
	var ce *problem.Error
	if !errors.As(err, &ce) {
		t.Fatalf("want a *problem.Error, got %v", err)
	}
	want := []string{
		`plan.yaml:3: attributes.amount: attribute "amount" has the name of an event field`,
		`plan.yaml:8: indicators[0].where: unknown name "sorce" (did you mean "source"?) (1:1)`,
		`plan.yaml:11: indicators[1].aggregate: unknown aggregate "total" (want one of count, sum, avg, min, max, distinct, median, percentile)`,
		`plan.yaml:9: indicators[1].id: id "won" is already defined at indicators[0]`,
		`plan.yaml:12: indicators[2].value: value is required for aggregate sum`,
		`plan.yaml:16: indicators[3].formula: unknown name "created"`,
		`plan.yaml:21: report.to: 2025-01-01 is not after from (2025-02-01)`,
		`plan.yaml:2: timezone: `,
	}
	got := strings.Split(err.Error(), "\n")
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(got), len(want), err)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
}

func TestCompileDetectsCycles(t *testing.T) {
	def := &goalkit.Definition{Timezone: "UTC", Indicators: []kpi.IndicatorDef{
		{ID: "a", Formula: "b + 1"}, {ID: "b", Formula: "c * 2"}, {ID: "c", Formula: "a - 1"},
	}}
	def.Report.Grain = mustGrain(t, "month")
	def.Report.From, def.Report.To = day(t, "2025-01-01"), day(t, "2025-02-01")
	_, err := goalkit.Compile(def)
	if err == nil || err.Error() != "indicators[0].formula: formula depends on itself: a -> b -> c -> a" {
		t.Fatalf("got %v", err)
	}
}

// A formula with a comma in a {…} mapping is cut at the comma by YAML: the
// error says so and names the indicator, not a key made of the formula's rest.
func TestFlowMappingCutAtComma(t *testing.T) {
	_, err := goalkit.ParseDefinition("plan.yaml", []byte(`timezone: UTC
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
  - {id: a, formula: coalesce(prev(a), 0) + won}
report: {grain: month, from: 2025-01-01, to: 2025-02-01}
`))
	want := `plan.yaml:4: indicators[1]: unknown key "0) + won": in a {…} mapping a comma ends a value, so a value with a comma (a formula such as coalesce(x, 0)) is cut there: quote it, or write the mapping one key a line`
	if err == nil || err.Error() != want {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
}

package exampletest_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/formula"
)

// errorsPlan is a plan with one mistake in each of indicators[1] to [7],
// those the section Errors of docs/formulas.md shows the errors of.
const errorsPlan = `timezone: Europe/Moscow
attributes: {source: string}
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
  - {id: a1, kinds: [deal.won], aggregate: count, where: 'sorce == "web"'}
  - {id: a2, kinds: [deal.won], aggregate: sum, value: source}
  - {id: a3, formula: mean(won)}
  - {id: a4, kinds: [deal.won], aggregate: count, where: source == 1}
  - {id: a5, kinds: [deal.won], aggregate: count, where: 'source = "web"'}
  - {id: a6, kinds: [deal.won], aggregate: sum, value: hours(amount)}
  - {id: a7, kinds: [deal.won], aggregate: count, where: prev(won) > 1}
report: {grain: month, from: 2025-01-01, to: 2025-02-01}
`

// TestFormulaErrorsAsDocumented compiles errorsPlan and checks that its
// errors read, word for word, as the first block of the section Errors of
// docs/formulas.md shows them (after each error's FILE:LINE).
func TestFormulaErrorsAsDocumented(t *testing.T) {
	block := docsSection(t, "formulas.md", "Errors")
	start := strings.Index(block, "```\n")
	if start < 0 {
		t.Fatal("the section Errors of docs/formulas.md shows no errors")
	}
	block = block[start+4:]
	block = block[:strings.Index(block, "```")]
	want := strings.Split(strings.TrimSuffix(block, "\n"), "\n")

	err := compileErr(t, errorsPlan)
	if err == nil {
		t.Fatal("the plan with a mistake in each formula compiled")
	}
	var got []string
	for _, line := range strings.Split(err.Error(), "\n") {
		// plan.yaml:LINE: the error
		if rest, ok := strings.CutPrefix(line, "plan.yaml:"); ok {
			if j := strings.Index(rest, ": "); j >= 0 {
				got = append(got, rest[j+2:])
			}
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the errors are\n%s\n\ndocs/formulas.md shows\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestFormulaSnippetAsDocumented checks the snippet the section Errors of
// docs/formulas.md shows, and that a host gets it as the page says: from a
// problem's Err, a *formula.Error, with Snippet.
func TestFormulaSnippetAsDocumented(t *testing.T) {
	block := docsSection(t, "formulas.md", "Errors")
	_, after, ok := strings.Cut(block, "`Snippet()`")
	if !ok {
		t.Fatal("the section Errors of docs/formulas.md does not name Snippet()")
	}
	_, shown, ok := strings.Cut(after, "```\n")
	if !ok {
		t.Fatal("the section Errors of docs/formulas.md shows no snippet")
	}
	shown, _, _ = strings.Cut(shown, "```")
	src, _, _ := strings.Cut(shown, "\n")
	plan := "timezone: Europe/Moscow\nattributes: {source: string, pipeline: int}\n" +
		"indicators:\n  - {id: won, kinds: [deal.won], aggregate: count, where: '" + src + "'}\n" +
		"report: {grain: month, from: 2025-01-01, to: 2025-02-01}\n"
	var ferr *formula.Error
	if err := compileErr(t, plan); !errors.As(err, &ferr) {
		t.Fatalf("the error of %q holds no *formula.Error", src)
	}
	if got := ferr.Snippet() + "\n"; got != shown {
		t.Errorf("the snippet is\n%s\ndocs/formulas.md shows\n%s", got, shown)
	}
}

// compileErr reads plan as the file plan.yaml and returns what Compile
// says of it.
func compileErr(t *testing.T, plan string) error {
	t.Helper()
	def, err := goalkit.ParseDefinition("plan.yaml", []byte(plan))
	if err != nil {
		t.Fatal(err)
	}
	_, err = goalkit.Compile(def)
	return err
}

// formulaPlaces is a plan with a formula in every place the first table of
// docs/formulas.md names, each reading the names the table gives it; a
// {PLACE} is replaced by the formula or by a broken one.
const formulaPlaces = `timezone: Europe/Moscow
attributes: {source: string, created_at: time}
indicators:
  - {id: won, kinds: [deal.won], aggregate: count, where: '{where}'}
  - {id: calls, kinds: [call], aggregate: count}
  - {id: hours, kinds: [deal.won], aggregate: sum, value: '{value}'}
  - {id: rate, formula: '{formula}'}
scorecards:
  - id: card
    grain: month
    kpis:
      - {indicator: won, target: 10, weight: 40, curve: {formula: '{curve}'}}
      - {indicator: calls, target: 10, weight: 30}
      - {indicator: hours, target: 10, weight: 30}
goals:
  - {id: deals, indicator: won, filter: '{filter}', target: 10, target_formula: '{target_formula}',
     period: {from: 2025-01-01, every: month}, participants: {users: [anna]}, close: {auto: true, next_target: '{next_target}'}}
  - {id: onboarding, checklist: [{id: course, where: '{item}'}], period: {from: 2025-01-01, every: month}, participants: {users: [anna]}}
report: {grain: month, from: 2025-01-01, to: 2025-02-01}
`

// TestFormulaPlacesAsDocumented checks the first table of docs/formulas.md:
// every place it names takes a formula with the names it gives there (the
// plan compiles), and a broken formula in each is refused at that place.
func TestFormulaPlacesAsDocumented(t *testing.T) {
	page := string(repoFile(t, "docs", "formulas.md"))
	table, _, _ := strings.Cut(page[strings.Index(page, "| where |"):], "\n\n")
	places := []struct{ named, key, path, formula string }{
		{"an indicator's `where`", "{where}", "indicators[0].where", `source == "web" && amount > 0`},
		{"a goal's `filter`", "{filter}", "goals[0].filter", `source in ["web", "partner"]`},
		{"a checklist item's `where`", "{item}", "goals[1].checklist[0].where", `kind == "training.completed"`},
		{"an indicator's `value`", "{value}", "indicators[2].value", `hours(time - created_at)`},
		{"an indicator's `formula`", "{formula}", "indicators[3].formula", `won / calls + prev(won) / days() + workdays() * elapsed()`},
		{"a goal's `target_formula`", "{target_formula}", "goals[0].target_formula", `max(target, prev(won) * 1.25 + calls / workdays())`},
		{"a scorecard KPI's `curve.formula`", "{curve}", "scorecards[0].kpis[0].curve.formula", `min(achievement, 200) + actual - target + coalesce(threshold, 0) + coalesce(stretch, 0)`},
		{"a goal's `close.next_target`", "{next_target}", "goals[0].close.next_target", `max(target, actual * 1.1, achievement * calls)`},
	}
	plan := func(broken string) string {
		s := formulaPlaces
		for _, p := range places {
			f := p.formula
			if p.key == broken {
				f = "1 +"
			}
			s = strings.ReplaceAll(s, p.key, f)
		}
		return s
	}
	if err := compileErr(t, plan("")); err != nil {
		t.Fatalf("the plan with a formula in every place does not compile:\n%v", err)
	}
	for _, p := range places {
		if !strings.Contains(table, p.named) {
			t.Errorf("the first table of docs/formulas.md does not name %s", p.named)
		}
		var ce *goalkit.CompileError
		if err := compileErr(t, plan(p.key)); !errors.As(err, &ce) || len(ce.Problems) != 1 || ce.Problems[0].Path != p.path || ce.Problems[0].Code != "formula" {
			t.Errorf("a broken formula in %s: %v, want one formula problem at %s", p.named, err, p.path)
		}
	}
}

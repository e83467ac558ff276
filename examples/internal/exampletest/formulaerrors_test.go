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

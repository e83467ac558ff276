package goalkit_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
)

// A plan that declares an attribute named cohort_time is refused at its
// line: a cohort indicator's formulas read that name as the cohort's
// instant, so the attribute was silently shadowed there.
func TestCompileRefusesAnAttributeNamedCohortTime(t *testing.T) {
	const src = `timezone: UTC
attributes: {source: string, cohort_time: time}
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
report: {grain: month, from: 2025-01-01, to: 2025-02-01}
`
	def, err := goalkit.ParseDefinition("plan.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	_, err = goalkit.Compile(def)
	const want = `plan.yaml:2: attributes.cohort_time: attribute "cohort_time" has the name a cohort indicator's formulas read as the cohort's instant`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Compile: %v, want %q", err, want)
	}
}

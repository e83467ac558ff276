package goalkittest

import (
	"testing"

	"github.com/goalkit/goalkit"
)

// CompilePlan parses the text of a plan file (YAML or JSON) and compiles
// it, for a test whose plan is written in the test. A problem in either
// step fails the test with the error, which names the line as
// goalkit.ParseDefinition does ("plan.yaml:12: …").
func CompilePlan(t testing.TB, src string) *goalkit.Plan {
	t.Helper()
	def, err := goalkit.ParseDefinition("plan.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return compile(t, def)
}

// ReadPlan reads a plan file, and the calendar file it names, as
// goalkit.ReadDefinition does, and compiles it; a problem fails the test.
func ReadPlan(t testing.TB, path string) *goalkit.Plan {
	t.Helper()
	def, err := goalkit.ReadDefinition(path)
	if err != nil {
		t.Fatal(err)
	}
	return compile(t, def)
}

func compile(t testing.TB, def *goalkit.Definition) *goalkit.Plan {
	t.Helper()
	plan, err := goalkit.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

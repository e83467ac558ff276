package goalkit_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/problem"
	"pgregory.net/rapid"
)

// breakPlan breaks a plan in one of the ways a plan file goes wrong.
func breakPlan(t *rapid.T, def *goalkit.Definition) {
	gi := rapid.IntRange(0, len(def.Goals)-1).Draw(t, "goal")
	g := &def.Goals[gi]
	switch rapid.IntRange(0, 9).Draw(t, "break") {
	case 0:
		g.Target, g.TargetFormula = nil, ""
	case 1:
		g.Period = goal.PeriodDef{From: g.Period.From}
	case 2:
		g.Indicator = ""
	case 3:
		g.Indicator = "no_such"
	case 4:
		g.Filter = `sorce == "web"`
	case 5:
		g.TargetFormula = "prev("
	case 6:
		def.Timezone = "Mars/Base"
	case 7:
		def.Indicators[0].Aggregate = "mean"
	case 8:
		g.Period.To = g.Period.From
	default:
		g.ID = "Bad Id"
	}
}

// Lint and Compile agree on whether a plan works: Compile refuses exactly
// the plans Lint finds an error in, and Lint names the path of every
// problem Compile gives.
func TestLintAgreesWithCompile(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		def := goalPlans().Draw(t, "plan")
		for range rapid.IntRange(0, 2).Draw(t, "breaks") {
			breakPlan(t, def)
		}
		_, cerr := goalkit.Compile(def)
		found, err := goalkit.Lint(context.Background(), def, nil, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatalf("lint: %v", err)
		}
		var lintErrs []string
		for _, f := range found {
			if f.Severity == problem.SevError {
				lintErrs = append(lintErrs, f.Path)
			}
		}
		if (cerr != nil) != (len(lintErrs) > 0) {
			t.Fatalf("compile: %v; lint errors: %v", cerr, found)
		}
		var ce *problem.Error
		if cerr != nil && errors.As(cerr, &ce) {
			for _, p := range ce.Problems {
				if !slices.Contains(lintErrs, p.Path) {
					t.Fatalf("compile's problem %s: %s is not among lint's errors %v", p.Path, p.Msg, found)
				}
			}
		}
	})
}

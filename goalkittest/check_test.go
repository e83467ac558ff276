package goalkittest_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goalkittest"
	"pgregory.net/rapid"
)

func TestMain(m *testing.M) {
	flag.Parse()
	// deliberate failures must not leave rapid's fail files behind
	_ = flag.Set("rapid.nofailfile", "true")
	_ = flag.Set("rapid.shrinktime", "10s")
	// 200 cases a property (20 under the race detector) unless
	// -rapid.checks says otherwise
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.checks" })
	if !set {
		n := "200"
		if raceEnabled {
			n = "20"
		}
		_ = flag.Set("rapid.checks", n)
	}
	os.Exit(m.Run())
}

// TestBrokenPlansCaught: each deliberately broken plan is caught by the
// check named for it, with a shrunk counterexample. (That they pass the
// other checks is shown by ExampleRun and TestCheck of the command.)
func TestBrokenPlansCaught(t *testing.T) {
	for _, c := range []struct {
		file, property string
		opts           goalkittest.CheckOptions
		want           []string
	}{
		{"broken-tier-gap.yaml", goalkittest.ScoresMonotone, goalkittest.CheckOptions{},
			[]string{"KPI won (higher is better): actual 14 and the better actual 15: the score falls from 50 to 0", "--- plan.yaml", "--- worse.ndjson", "--- better.ndjson", "goalkit eval -plan plan.yaml -events better.ndjson"}},
		{"broken-cascade-weights.yaml", goalkittest.SplitsAddBack, goalkittest.CheckOptions{},
			[]string{"cascade revenue_q1: the targets of the children of company 2025-Q1 (cascades[0].root) add up to 90000, not to its target 100000", "--- plan.yaml", "--- events.ndjson"}},
		{"broken-ratio.yaml", goalkittest.FormulasDefined, goalkittest.CheckOptions{RequireDefined: true},
			[]string{`indicator conversion: "won / created" is undefined with created = 0, won = 0`}},
		{"broken-refund-cap.yaml", goalkittest.FormulasDefined, goalkittest.CheckOptions{RequireDefined: true},
			[]string{`indicator bonus: "clamp(won * 100, 0, revenue)" is undefined with revenue = -`}},
	} {
		t.Run(c.file, func(t *testing.T) {
			c.opts.Only = []string{c.property}
			for _, o := range goalkittest.Run(goalkittest.ReadPlan(t, "testdata/"+c.file), c.opts) {
				if o.Passed {
					t.Fatalf("%s passed", o.Property)
				}
				for _, w := range c.want {
					if !strings.Contains(o.Counterexample, w) {
						t.Errorf("%s: counterexample lacks %q:\n%s", o.Property, w, o.Counterexample)
					}
				}
			}
		})
	}
}

// TestCorrectPlans runs CheckPlan on the correct plans: every check passes.
func TestCorrectPlans(t *testing.T) {
	for _, f := range []string{"good-sales.yaml", "good-cascade.yaml"} {
		t.Run(f, func(t *testing.T) {
			goalkittest.CheckPlan(t, goalkittest.ReadPlan(t, "testdata/"+f), goalkittest.CheckOptions{})
		})
	}
}

// TestPlanYAMLRoundTrip: a counterexample's plan file reads back to the
// same definition.
func TestPlanYAMLRoundTrip(t *testing.T) {
	for _, f := range []string{"good-sales.yaml", "good-cascade.yaml", "broken-tier-gap.yaml", "broken-cascade-weights.yaml", "broken-ratio.yaml", "broken-refund-cap.yaml"} {
		def, err := goalkit.ReadDefinition("testdata/" + f)
		if err != nil {
			t.Fatal(err)
		}
		text, err := goalkittest.PlanYAML(def)
		if err != nil {
			t.Fatal(err)
		}
		back, err := goalkit.ParseDefinition(f, []byte(text))
		if err != nil {
			t.Fatalf("%v\n%s", err, text)
		}
		if again, _ := goalkittest.PlanYAML(back); again != text {
			t.Errorf("%s: the plan changed on the way back:\n%s\n%s", f, text, again)
		}
		if _, err := goalkit.Compile(back); err != nil {
			t.Fatalf("%s: %v\n%s", f, err, text)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		def := goalkittest.Plans().Draw(t, "plan")
		text, err := goalkittest.PlanYAML(def)
		if err != nil {
			t.Fatal(err)
		}
		back, err := goalkit.ParseDefinition("plan.yaml", []byte(text))
		if err != nil {
			t.Fatalf("%v\n%s", err, text)
		}
		if _, err := goalkit.Compile(back); err != nil {
			t.Fatalf("%v\n%s", err, text)
		}
	})
}

// TestRandomPlans checks random valid plans with a directory of users who
// move between departments: the engine keeps every invariant.
func TestRandomPlans(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		def := goalkittest.Plans().Draw(t, "plan")
		plan, err := goalkit.Compile(def)
		if err != nil {
			t.Fatal(err)
		}
		dir := goalkittest.Directories(goalkittest.DefaultActors, def.Report.From, def.Report.To).Draw(t, "directory")
		ps := goalkittest.Properties(plan, goalkittest.CheckOptions{Directory: dir})
		ps[rapid.IntRange(0, len(ps)-1).Draw(t, "property")].Check(t)
	})
}

// A name in CheckOptions.Only that is no property's fails the setup,
// naming it, rather than leave nothing to check: a typo passed every plan.
// A property that does not apply to the plan is left out, as before.
func TestOnlyUnknownName(t *testing.T) {
	plan := goalkittest.ReadPlan(t, "testdata/good-sales.yaml")
	out := goalkittest.Run(plan, goalkittest.CheckOptions{Only: []string{"live_equal_batch"}})
	if len(out) != 1 || out[0].Passed || out[0].Property != "setup" ||
		!strings.HasPrefix(out[0].Counterexample, `CheckOptions.Only: no property is named "live_equal_batch" (the properties: live_equals_batch, `) {
		t.Fatalf("outcomes %+v", out)
	}
	if err := goalkittest.Setup(plan, goalkittest.CheckOptions{Only: []string{goalkittest.RollupEqualsDirect}}); err != nil {
		t.Fatalf("a property the plan has no cascade for: %v", err)
	}
}

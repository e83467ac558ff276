// Package sample is the report the export tests write: a sales department's
// March 2025 (indicators with Russian names, money in roubles, a scorecard
// with a bonus, leaderboards, goals with their daily series and a cascade),
// evaluated as of 20 March, 18:00 in Moscow.
package sample

import (
	"bytes"
	"context"
	_ "embed"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
	"pgregory.net/rapid"
)

//go:embed plan.yaml
var planYAML []byte

//go:embed events.ndjson
var eventsNDJSON []byte

// AsOf is the instant the sample report is evaluated as of.
var AsOf = time.Date(2025, 3, 20, 15, 0, 0, 0, time.UTC)

// Report returns the sample plan and its report, with the goals' daily
// series.
func Report(tb testing.TB) (*goalkit.Plan, *goalkit.Report) {
	tb.Helper()
	plan, rep, err := Evaluate(planYAML, eventsNDJSON, AsOf)
	if err != nil {
		tb.Fatal(err)
	}
	return plan, rep
}

// Plan returns the sample plan's file.
func Plan() []byte { return bytes.Clone(planYAML) }

// Events returns the sample events' file.
func Events() []byte { return bytes.Clone(eventsNDJSON) }

// Evaluate compiles a plan file and evaluates it over an NDJSON event file
// as of an instant, with the goals' daily series.
func Evaluate(planFile, events []byte, asOf time.Time) (*goalkit.Plan, *goalkit.Report, error) {
	return evaluate(planFile, events, asOf, goalkit.WithSeries())
}

// evaluate compiles a plan file and evaluates it over an NDJSON event file
// as of an instant, with the options.
func evaluate(planFile, events []byte, asOf time.Time, opts ...goalkit.EvalOption) (*goalkit.Plan, *goalkit.Report, error) {
	def, err := goalkit.ParseDefinition("plan.yaml", planFile)
	if err != nil {
		return nil, nil, err
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		return nil, nil, err
	}
	ctx := context.Background()
	store := memory.New(plan.Calendar().Location())
	if err := eventfile.Load(ctx, store, bytes.NewReader(events), "events.ndjson", eventfile.Options{Attributes: def.Attributes}); err != nil {
		return nil, nil, err
	}
	rep, err := plan.Evaluate(ctx, store, asOf, opts...)
	if err != nil {
		return nil, nil, err
	}
	return plan, rep, nil
}

// Random draws a random plan (goalkittest.Plans) and a stream of its events
// (amounts of 0, 2 and 6 places, and half the time huge ones, so that some
// values have more digits than a double holds), and evaluates it at the end
// of its last report period.
func Random(t *rapid.T) (*goalkit.Plan, *goalkit.Report) {
	def := goalkittest.Plans().Draw(t, "plan")
	plan, err := goalkit.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	shape := goalkittest.ShapeOf(plan)
	shape.Scales = []int32{0, 2, 6}
	shape.HugeAmounts = rapid.Bool().Draw(t, "huge")
	store := memory.New(plan.Calendar().Location())
	if err := store.Apply(goalkittest.Stream(plan.Calendar(), shape).Draw(t, "events")...); err != nil {
		t.Fatal(err)
	}
	periods := plan.Periods()
	asOf := plan.Calendar().Midnight(periods[len(periods)-1].End)
	rep, err := plan.Evaluate(context.Background(), store, asOf)
	if err != nil {
		t.Fatal(err)
	}
	return plan, rep
}

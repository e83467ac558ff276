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
	rep, err := plan.Evaluate(ctx, store, asOf, goalkit.WithSeries())
	if err != nil {
		return nil, nil, err
	}
	return plan, rep, nil
}

// Command analytics evaluates two months of a sales and marketing team's
// CRM events with breakdowns and percentiles and prints the report: cost per
// lead and conversion by lead source, revenue of the top two products with
// the rest as "other", median days to close and the 90th percentile of the
// first response to a ticket; then the events behind one breakdown row.
//
//	go run ./examples/analytics
package main

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/adapters/memory"
)

//go:embed plan.yaml
var planYAML []byte

//go:embed events.ndjson
var eventsNDJSON []byte

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "analytics:", err)
		os.Exit(1)
	}
}

// load compiles the plan and loads the events into the embedded store.
func load(ctx context.Context) (*goalkit.Plan, *memory.Store, error) {
	def, err := goalkit.ParseDefinition("plan.yaml", planYAML)
	if err != nil {
		return nil, nil, err
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		return nil, nil, err
	}
	store := memory.New(plan.Calendar().Location())
	err = eventfile.Load(ctx, store, bytes.NewReader(eventsNDJSON), "events.ndjson", eventfile.Options{Attributes: def.Attributes})
	return plan, store, err
}

// asOf is the end of March, Moscow time.
func asOf(plan *goalkit.Plan) time.Time {
	return time.Date(2025, 4, 1, 0, 0, 0, 0, plan.Calendar().Location())
}

func run(ctx context.Context, w io.Writer) error {
	plan, store, err := load(ctx)
	if err != nil {
		return err
	}
	rep, err := plan.Evaluate(ctx, store, asOf(plan))
	if err != nil {
		return err
	}
	if err := rep.WriteTable(w); err != nil {
		return err
	}
	// The events behind boris's conversion of deals from ads in March.
	march, err := plan.Calendar().ParseLabel("2025-03")
	if err != nil {
		return err
	}
	ex, err := plan.Explain(ctx, store, asOf(plan), goalkit.Cell{Indicator: "conversion", Participant: "boris", Period: march, By: []any{"ads"}})
	if err != nil {
		return err
	}
	fmt.Fprintln(w)
	return goalkit.WriteExplanation(w, ex)
}

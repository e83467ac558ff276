// Command quickstart evaluates a month of a small sales team's CRM events and
// prints the report: leads, deals, revenue (with US-dollar deals converted at
// the plan's budget rate), average deal, conversion and calls, per person and
// for the whole team, followed by the events behind one number.
//
//	go run ./examples/quickstart
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
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	// 1. Definitions → an immutable, validated plan.
	def, err := goalkit.ParseDefinition("plan.yaml", planYAML)
	if err != nil {
		return err
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		return err
	}

	// 2. Events → the embedded in-memory store, every line as it comes: a
	// correction (the same id again) replaces, a retraction removes, a
	// duplicate counts once. The file is applied whole or not at all.
	store := memory.New(plan.Calendar().Location())
	err = eventfile.Load(ctx, store, bytes.NewReader(eventsNDJSON), "events.ndjson",
		eventfile.Options{Attributes: def.Attributes})
	if err != nil {
		return err
	}

	// 3. Evaluate as of the end of March, Moscow time.
	asOf := time.Date(2025, 4, 1, 0, 0, 0, 0, plan.Calendar().Location())
	rep, err := plan.Evaluate(ctx, store, asOf)
	if err != nil {
		return err
	}
	if err := rep.WriteTable(w); err != nil {
		return err
	}

	// 4. Every number can be explained.
	march, err := plan.Calendar().ParseLabel("2025-03")
	if err != nil {
		return err
	}
	ex, err := plan.Explain(ctx, store, asOf, goalkit.Cell{Indicator: "revenue", Participant: "anna", Period: march})
	if err != nil {
		return err
	}
	fmt.Fprintln(w)
	return goalkit.WriteExplanation(w, ex)
}

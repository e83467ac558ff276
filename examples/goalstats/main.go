// Command goalstats evaluates a quarter of a sales team's goals and prints
// the report's goal statistics: how many goals were achieved, failed or are
// still open (by goal, type, office and month), how long achieving took,
// how the share achieved moves from month to month, and how calls,
// meetings, deals and the average deal move with revenue.
//
//	go run ./examples/goalstats          # the table
//	go run ./examples/goalstats -json    # the JSON report
package main

import (
	"bytes"
	"context"
	_ "embed"
	"flag"
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

//go:embed directory.json
var directoryJSON []byte

func main() {
	asJSON := flag.Bool("json", false, "write the report as JSON")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *asJSON); err != nil {
		fmt.Fprintln(os.Stderr, "goalstats:", err)
		os.Exit(1)
	}
}

// asOf is the instant of the report: Thursday 20 March 2025, noon in Moscow.
func asOf(plan *goalkit.Plan) time.Time {
	return time.Date(2025, 3, 20, 12, 0, 0, 0, plan.Calendar().Location())
}

func evaluate(ctx context.Context) (*goalkit.Plan, *goalkit.Report, error) {
	def, err := goalkit.ParseDefinition("plan.yaml", planYAML)
	if err != nil {
		return nil, nil, err
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		return nil, nil, err
	}
	store := memory.New(plan.Calendar().Location())
	if err := eventfile.Load(ctx, store, bytes.NewReader(eventsNDJSON), "events.ndjson", eventfile.Options{Attributes: def.Attributes}); err != nil {
		return nil, nil, err
	}
	dir, err := memory.ReadDirectory(bytes.NewReader(directoryJSON))
	if err != nil {
		return nil, nil, err
	}
	rep, err := plan.Evaluate(ctx, store, asOf(plan), goalkit.WithDirectory(dir))
	return plan, rep, err
}

func run(ctx context.Context, w io.Writer, asJSON bool) error {
	_, rep, err := evaluate(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		return rep.WriteJSON(w)
	}
	return rep.WriteTable(w)
}

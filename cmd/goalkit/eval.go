package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
)

// loadInputs reads the plan and the events file into a fresh store. The store
// is thrown away if the file has any bad line, so nothing of it is applied.
func loadInputs(ctx context.Context, planPath, eventsPath string) (*goalkit.Plan, *memory.Store, error) {
	if planPath == "" {
		return nil, nil, fmt.Errorf("-plan is required")
	}
	if eventsPath == "" {
		return nil, nil, fmt.Errorf("-events is required")
	}
	def, err := goalkit.ReadDefinition(planPath)
	if err != nil {
		return nil, nil, err
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		return nil, nil, err
	}
	store := memory.New(plan.Calendar().Location())
	if err := loadEvents(ctx, store, eventsPath, def.Attributes); err != nil {
		return nil, nil, err
	}
	return plan, store, nil
}

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval", stderr)
	planPath := fs.String("plan", "", "plan file (YAML or JSON)")
	eventsPath := fs.String("events", "", "events file (.ndjson, .jsonl or .csv)")
	asOf := fs.String("as-of", "", "evaluate as of this RFC 3339 instant (default now)")
	format := fs.String("format", "json", "output format: json, table or csv (the indicator values only)")
	dirPath := fs.String("directory", "", "the organisation as JSON, as goalkit directory writes it: the teams of goals and the units of cascades")
	sourceSpec := fs.String("source", "", "read events from a database instead of -events: sqlite:FILE or postgres://…")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	at, err := parseAsOf(*asOf)
	if err != nil {
		return err
	}
	switch *format {
	case "json", "table", "csv":
	default:
		return fmt.Errorf("-format must be json, table or csv, got %q", *format)
	}
	var plan *goalkit.Plan
	var store kpi.Source
	if *sourceSpec != "" {
		var closeDB func() error
		plan, store, closeDB, err = loadFromDatabase(ctx, *planPath, *eventsPath, *sourceSpec)
		if err != nil {
			return err
		}
		defer closeDB()
	} else if plan, store, err = loadInputs(ctx, *planPath, *eventsPath); err != nil {
		return err
	}
	var opts []goalkit.EvalOption
	if *dirPath != "" {
		dir, err := readDirectory(*dirPath)
		if err != nil {
			return err
		}
		opts = append(opts, goalkit.WithDirectory(dir))
	}
	rep, err := plan.Evaluate(ctx, store, at, opts...)
	if err != nil {
		return err
	}
	switch *format {
	case "table":
		return rep.WriteTable(stdout)
	case "csv":
		return rep.WriteCSV(stdout)
	}
	return rep.WriteJSON(stdout)
}

func runExplain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("explain", stderr)
	planPath := fs.String("plan", "", "plan file (YAML or JSON)")
	eventsPath := fs.String("events", "", "events file (.ndjson, .jsonl or .csv)")
	asOf := fs.String("as-of", "", "explain as of this RFC 3339 instant (default now)")
	indicator := fs.String("indicator", "", "indicator id")
	participant := fs.String("participant", org.Everyone, `participant id ("*" for everyone)`)
	label := fs.String("period", "", "period label, such as 2025-03, 2025-W14 or 2025-Q2")
	limit := fs.Int("limit", kpi.ExplainLimit, "excluded events to list per reason")
	format := fs.String("format", "text", "output format: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *indicator == "" || *label == "" {
		return fmt.Errorf("-indicator and -period are required")
	}
	at, err := parseAsOf(*asOf)
	if err != nil {
		return err
	}
	plan, store, err := loadInputs(ctx, *planPath, *eventsPath)
	if err != nil {
		return err
	}
	p, err := plan.Calendar().ParseLabel(*label)
	if err != nil {
		return fmt.Errorf("-period: %w", err)
	}
	ex, err := plan.Explain(ctx, store, at, goalkit.Cell{Indicator: *indicator, Participant: *participant, Period: p}, goalkit.WithExplainLimit(*limit))
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ex)
	}
	return goalkit.WriteExplanation(stdout, ex)
}

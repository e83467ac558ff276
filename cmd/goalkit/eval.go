package main

import (
	"context"
	"encoding/json"
	"io"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
)

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval", stderr)
	var in inputs
	in.define(fs, eventsUsage, "evaluate as of this RFC 3339 instant (default now)")
	format := formatFlag(fs, "json", "table", "csv")
	dirPath := fs.String("directory", "", "the organisation as JSON, as goalkit directory writes it: the teams of goals and the units of cascades")
	sourceSpec := fs.String("source", "", "read events from a database instead of -events: sqlite:FILE, postgres://… or nats://… (the merged state of a tenant's workers)")
	in.defineMapping(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	at, err := in.at()
	if err != nil {
		return err
	}
	if err := format.check(); err != nil {
		return err
	}
	var plan *goalkit.Plan
	var store kpi.Source
	if *sourceSpec != "" {
		var closeDB func() error
		plan, store, closeDB, err = in.loadFromDatabase(ctx, *sourceSpec)
		if err != nil {
			return err
		}
		defer closeDB()
	} else if plan, store, err = in.load(ctx); err != nil {
		return err
	}
	opts, err := directoryOptions(*dirPath)
	if err != nil {
		return err
	}
	rep, err := plan.Evaluate(ctx, store, at, opts...)
	if err != nil {
		return err
	}
	switch format.name {
	case "table":
		return rep.WriteTable(stdout)
	case "csv":
		return rep.WriteCSV(stdout)
	}
	return rep.WriteJSON(stdout)
}

func runExplain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("explain", stderr)
	var in inputs
	in.define(fs, eventsUsage, "explain as of this RFC 3339 instant (default now)")
	indicator := fs.String("indicator", "", "indicator id")
	participant := fs.String("participant", org.Everyone, `participant id ("*" for everyone)`)
	label := fs.String("period", "", "period label, such as 2025-03, 2025-W14 or 2025-Q2")
	limit := fs.Int("limit", kpi.ExplainLimit, "excluded events to list per reason")
	format := formatFlag(fs, "text", "json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *indicator == "" || *label == "" {
		return usagef("-indicator and -period are required")
	}
	at, err := in.at()
	if err != nil {
		return err
	}
	plan, store, err := in.load(ctx)
	if err != nil {
		return err
	}
	p, err := plan.Calendar().ParseLabel(*label)
	if err != nil {
		return usagef("-period: %w", err)
	}
	ex, err := plan.Explain(ctx, store, at, goalkit.Cell{Indicator: *indicator, Participant: *participant, Period: p}, goalkit.WithExplainLimit(*limit))
	if err != nil {
		return err
	}
	if format.name == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ex)
	}
	return goalkit.WriteExplanation(stdout, ex)
}

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
	in.defineDirectory(fs, "the organisation as JSON, as goalkit directory writes it: the teams of goals and the units of cascades")
	sourceSpec := fs.String("source", "", "read events from a database instead of -events: sqlite:FILE, postgres://… or nats://… (the merged state of a tenant's workers)")
	goalStats := fs.Bool("goal-stats", false, "add the goal statistics (docs/goal-stats.md) when the plan does not declare goal_stats")
	in.defineMapping(fs)
	changes := fs.String("explain-change", "", explainChangeUsage)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *changes != "" && format.name == "csv":
		return usagef("-explain-change needs -format json or table (a CSV report holds only values)")
	case *goalStats && format.name == "csv":
		return usagef("-goal-stats needs -format json or table (a CSV report holds only values)")
	}
	at, err := in.at()
	if err != nil {
		return err
	}
	plan, store, opts, done, err := in.evaluation(ctx, *sourceSpec)
	if err != nil {
		return err
	}
	defer done()
	if *goalStats {
		opts = append(opts, goalkit.WithGoalStats())
	}
	rep, err := plan.Evaluate(ctx, store, at, opts...)
	if err != nil {
		return err
	}
	if rep.Changes, err = explainChanges(ctx, plan, store, at, *changes, opts...); err != nil {
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
	limit := fs.Int("limit", kpi.ExplainLimit, "excluded events to list per reason (0: only their counts)")
	byFlag := fs.String("by", "", "a breakdown row: NAME=VALUE,… for each attribute of the indicator's by (NAME alone: events without it)")
	change := defineChange(fs)
	in.defineMapping(fs)
	in.defineDirectory(fs, "the organisation as JSON, as goalkit directory writes it: its units are participants (-participant north) as in eval's report")
	format := formatFlag(fs, "text", "json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if (*indicator == "" && change.goal == "") || *label == "" {
		return usagef("-indicator (or -plan-vs-fact) and -period are required")
	}
	if *limit < 0 {
		return usagef("-limit must be at least 0, got %d", *limit)
	}
	switch {
	case change.goal != "" && change.from != "":
		return usagef("-plan-vs-fact and -change-from exclude each other")
	case change.by != "" && change.from == "":
		return usagef("-change-by goes with -change-from")
	case *byFlag != "" && (change.from != "" || change.goal != ""):
		return usagef("-by goes without -change-from and -plan-vs-fact")
	}
	at, err := in.at()
	if err != nil {
		return err
	}
	plan, store, err := in.load(ctx)
	if err != nil {
		return err
	}
	// The options eval evaluates with, so that the explanation agrees with
	// its report.
	opts, err := withDirectory(in.directory)
	if err != nil {
		return err
	}
	p, err := plan.Calendar().ParseLabel(*label)
	if err != nil {
		return usagef("-period: %w", err)
	}
	if change.from != "" || change.goal != "" {
		return change.explain(ctx, stdout, plan, store, at, *indicator, *participant, p, format.name, opts...)
	}
	cell := goalkit.Cell{Indicator: *indicator, Participant: *participant, Period: p}
	if *byFlag != "" {
		if cell.By, err = parseBy(plan, *indicator, *byFlag); err != nil {
			return usagef("-by: %w", err)
		}
	}
	ex, err := plan.Explain(ctx, store, at, cell, append(opts, goalkit.WithExplainLimit(*limit))...)
	if err != nil {
		return err
	}
	if *limit == 0 {
		// Explain's limit of 0 is its default; -limit 0 asks for the
		// counts alone.
		countsOnly(ex)
	}
	if format.name == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ex)
	}
	return goalkit.WriteExplanation(stdout, ex)
}

// countsOnly drops the excluded events ex and the explanations of its
// inputs list, keeping their counts by reason.
func countsOnly(ex *kpi.Explanation) {
	ex.Excluded = nil
	for _, in := range ex.Inputs {
		countsOnly(in)
	}
}

package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
)

// runLint checks a plan's goals against the SMART rules and prints every
// finding. It fails (exit status 1) when there is an error; warnings alone
// pass.
func runLint(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("lint", stderr)
	var in inputs
	in.define(fs, "optional history of events (.ndjson, .jsonl or .csv): targets are checked against it",
		"check as of this RFC 3339 instant (default now)")
	format := formatFlag(fs, "text", "json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if in.plan == "" {
		return usagef("-plan is required")
	}
	// Without events no rule reads the instant, so the clock is checked
	// (in.at) only with them: a plan alone is linted whatever it reads.
	at := in.asOf.or(clock())
	def, err := goalkit.ReadDefinition(in.plan)
	if err != nil {
		return err
	}
	var src kpi.Source
	if in.events != "" {
		if at, err = in.at(); err != nil {
			return err
		}
		store, err := historyStore(ctx, def.Timezone, in.events, def.Attributes)
		if err != nil {
			return err
		}
		src = store
	}
	findings, err := goalkit.Lint(ctx, def, src, at)
	if err != nil {
		return err
	}
	errs, warns := 0, 0
	for _, f := range findings {
		if f.Severity == problem.SevError {
			errs++
		} else {
			warns++
		}
	}
	if format.name == "json" {
		if findings == nil {
			findings = []problem.Problem{}
		}
		if err := writeIndentedJSON(stdout, findings); err != nil {
			return err
		}
	} else {
		for _, f := range findings {
			fmt.Fprintln(stdout, f.String())
		}
		fmt.Fprintf(stdout, "%d error(s), %d warning(s)\n", errs, warns)
	}
	if errs > 0 {
		return fmt.Errorf("%d error(s)", errs)
	}
	return nil
}

// historyStore loads an events file into a store dated in the zone.
func historyStore(ctx context.Context, zone, path string, attrs map[string]kpi.AttrType) (*memory.Store, error) {
	loc := time.UTC
	if cal, err := period.LoadCalendar(zone); err == nil {
		loc = cal.Location()
	}
	store := memory.New(loc)
	if err := loadEvents(ctx, store, path, attrs); err != nil {
		return nil, err
	}
	return store, nil
}

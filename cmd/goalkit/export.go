package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/export/pdf"
	"github.com/goalkit/goalkit/export/xlsx"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/safefile"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
)

// exportRequest is what goalkit export is asked to write, besides the
// report.
type exportRequest struct {
	format, chart, participant, period, goal, board string
	// units are the directory's units' names by id, shown for units and
	// groups (goal.Team); users names its users' names (memory.Directory's
	// UserName), shown for people (goal.User), so that a person of a unit's
	// id (Bitrix24's user 1 beside department 1) has their own name. nil
	// without -directory.
	units map[string]string
	users func(id string) (string, bool)
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", stderr)
	var in inputs
	in.define(fs, eventsUsage, "evaluate as of this RFC 3339 instant (default now)")
	sourceSpec := fs.String("source", "", "read events from a database instead of -events: sqlite:FILE or postgres://…")
	in.defineMapping(fs)
	format := formatFlag(fs, "xlsx", "pdf", "svg", "png")
	formatFlag := fs.Lookup("format")
	formatFlag.Usage, formatFlag.DefValue = "output `format`: xlsx, pdf, svg or png, in any letter case (default: the extension of -o)", ""
	out := fs.String("o", "", "the file to write (required)")
	var req exportRequest
	fs.StringVar(&req.participant, "participant", "", "pdf: the person whose scorecard to write (default: the summary of everyone); svg, png: the participant of the goal's chart")
	fs.StringVar(&req.period, "period", "", "pdf, svg, png: the period's label, such as 2025-03 (default: the last that has begun by -as-of)")
	fs.StringVar(&req.goal, "goal", "", "pdf: write this goal's report; svg, png: the goal of a burn-up or daily chart")
	fs.StringVar(&req.chart, "chart", "", "svg, png: burnup or daily (of -goal) or leaderboard (default: burnup with -goal, else leaderboard)")
	fs.StringVar(&req.board, "leaderboard", "", "svg, png: the leaderboard to draw (default: the first, with -period the first that has that period)")
	in.defineDirectory(fs, "the organisation as JSON, as goalkit directory writes it")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("-o is required")
	}
	formatSet := false
	fs.Visit(func(f *flag.Flag) { formatSet = formatSet || f.Name == "format" })
	if !formatSet {
		format.name = strings.ToLower(strings.TrimPrefix(filepath.Ext(*out), "."))
		if !slices.Contains(format.choices, format.name) {
			return usagef("-format is needed: -o %s does not end in .xlsx, .pdf, .svg or .png", *out)
		}
	}
	req.format = format.name
	if err := req.check(); err != nil {
		return err
	}
	at, err := in.at()
	if err != nil {
		return err
	}
	plan, store, done, err := in.open(ctx, *sourceSpec)
	if err != nil {
		return err
	}
	defer done()
	var opts []goalkit.EvalOption
	if in.directory != "" {
		// Read once: its units are evaluated and named from one copy.
		dir, err := readDirectory(in.directory)
		if err != nil {
			return err
		}
		opts = append(opts, goalkit.WithDirectory(dir))
		if req.units, err = unitNames(ctx, dir); err != nil {
			return err
		}
		req.users = dir.UserName
	}
	rep, err := plan.Evaluate(ctx, store, at, append(opts, goalkit.WithSeries())...)
	if err != nil {
		return err
	}
	if err := writeFile(*out, func(w io.Writer) error { return req.write(w, plan, rep) }); err != nil {
		return err
	}
	if fi, err := os.Stat(*out); err == nil && fi.Mode().IsRegular() && !sameAsStdout(fi) {
		// Not into what was written in place: -o /dev/stdout | …
		fmt.Fprintf(stdout, "wrote %s\n", *out)
	}
	return nil
}

// check refuses flags that do not apply to the format.
func (r *exportRequest) check() error {
	switch r.format {
	case "xlsx":
		// Every one given, in the order the command defines them, so that the
		// same command line gets the same error.
		var given []string
		for _, f := range []struct{ name, v string }{{"-participant", r.participant}, {"-period", r.period}, {"-goal", r.goal}, {"-chart", r.chart}, {"-leaderboard", r.board}} {
			if f.v != "" {
				given = append(given, f.name)
			}
		}
		switch n := len(given); {
		case n == 1:
			return usagef("%s does not apply to xlsx: the workbook holds the whole report", given[0])
		case n > 1:
			return usagef("%s and %s do not apply to xlsx: the workbook holds the whole report", strings.Join(given[:n-1], ", "), given[n-1])
		}
	case "pdf":
		if r.chart != "" || r.board != "" {
			return usagef("-chart and -leaderboard apply to svg and png")
		}
		if r.goal != "" && r.participant != "" {
			return usagef("-goal and -participant exclude each other for pdf: a goal's report has every participant")
		}
	default:
		if r.chart == "" {
			r.chart = "leaderboard"
			if r.goal != "" {
				r.chart = "burnup"
			}
		}
		switch r.chart {
		case "burnup", "daily":
			if r.goal == "" {
				return usagef("-chart %s needs -goal", r.chart)
			}
			if r.board != "" {
				return usagef("-leaderboard applies to -chart leaderboard")
			}
		case "leaderboard":
			if r.goal != "" || r.participant != "" {
				return usagef("-goal and -participant apply to -chart burnup and daily")
			}
		default:
			return usagef("-chart must be burnup, daily or leaderboard, got %q", r.chart)
		}
	}
	return nil
}

// write writes the export of the report.
func (r *exportRequest) write(w io.Writer, plan *goalkit.Plan, rep *goalkit.Report) error {
	switch r.format {
	case "xlsx":
		return xlsx.Write(w, plan, rep, r.names()...)
	case "pdf":
		switch {
		case r.goal != "":
			return pdf.Goal(w, plan, rep, r.goal, r.period, r.names()...)
		case r.participant != "":
			return pdf.Person(w, plan, rep, r.participant, r.period, r.names()...)
		}
		return pdf.Department(w, plan, rep, r.period, r.names()...)
	}
	o := chart.Options{Format: chart.Format(r.format), Namer: r.name}
	var img []byte
	var err error
	today := plan.Calendar().Date(rep.AsOf)
	begun := func(p period.Period) bool { return p.Start <= today }
	if r.chart == "leaderboard" {
		b, berr := r.leaderboard(rep, begun)
		if berr != nil {
			return berr
		}
		def := boardDef(plan, b.Leaderboard)
		o.Title = chart.Isolate(boardName(def, b.Leaderboard)) + ", " + b.Label
		if top := def.Top; top > 0 && b.Cut() {
			// As the exports and the dashboard say of a board cut to its
			// top: it left ranked participants out.
			o.Title += fmt.Sprintf(", top %d shown", top)
		}
		o.Level = def.Level
		img, err = chart.Leaderboard(b, o)
	} else {
		row, rerr := r.goalRow(rep, begun)
		if rerr != nil {
			return rerr
		}
		if len(row.Series) == 0 {
			return fmt.Errorf("goal %q has no day of %s up to the report's instant to draw: name a period that has begun (%s)", r.goal, row.Label, orList(begunLabels(rep, r.goal, row.Participant)))
		}
		name := row.Name
		if name == "" {
			name = row.Goal
		}
		who := row.Participant
		if who == org.Everyone {
			who = "Company" // as the dashboard and the exports name everyone together
		} else if n, ok := r.name(row.Kind, who); ok {
			who = n
		}
		o.Title = chart.Isolate(name) + ", " + chart.Isolate(who) + ", " + row.Label
		if r.chart == "daily" {
			img, err = chart.Daily(row, o)
		} else {
			img, err = chart.BurnUp(row, o)
		}
	}
	if err != nil {
		return err
	}
	_, err = w.Write(img)
	return err
}

// goalRow finds the row of -goal for -participant in -period: the
// participant may be left out when the goal has one participant, the
// period when the goal has one period, or it is the goal's last that has
// begun by the report's date (its first when none has).
func (r *exportRequest) goalRow(rep *goalkit.Report, begun func(period.Period) bool) (goal.Row, error) {
	var rows []goal.Row
	if rep.Goals != nil {
		for _, row := range rep.Goals.Rows {
			if row.Goal == r.goal && (r.period == "" || row.Label == r.period) {
				rows = append(rows, *row)
			}
		}
	}
	if len(rows) == 0 {
		var goals, labels []string
		if rep.Goals != nil {
			for _, row := range rep.Goals.Rows {
				goals = appendNew(goals, row.Goal)
				if row.Goal == r.goal {
					labels = appendNew(labels, row.Label)
				}
			}
		}
		if len(labels) > 0 {
			return goal.Row{}, fmt.Errorf("the report has no rows of goal %q for %s (it has %s)", r.goal, r.period, orList(labels))
		}
		return goal.Row{}, fmt.Errorf("the report has no rows of goal %q (%s)", r.goal, has(goals, "goals"))
	}
	last := rows[0].Label
	for _, row := range rows {
		if begun(row.Period) {
			last = row.Label
		}
	}
	var who []string
	for _, row := range rows {
		if row.Label != last {
			continue
		}
		if row.Participant == r.participant {
			return row, nil
		}
		who = append(who, row.Participant)
	}
	if r.participant == "" && len(who) == 1 {
		for _, row := range rows {
			if row.Label == last {
				return row, nil
			}
		}
	}
	if r.participant == "" {
		return goal.Row{}, usagef("goal %q has several participants in %s: name one with -participant (%s)", r.goal, last, orList(who))
	}
	return goal.Row{}, fmt.Errorf("goal %q has no row for %q in %s (it has %s)", r.goal, r.participant, last, orList(who))
}

// appendNew appends s to list unless the list holds it already.
func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// has says what a report has of a kind: "it has a, b or c", or "it has no
// goals".
func has(list []string, kind string) string {
	if len(list) == 0 {
		return "it has no " + kind
	}
	return "it has " + orList(list)
}

// boardName is a leaderboard's name, its id when it has none.
func boardName(def score.LeaderboardDef, id string) string {
	if def.Name != "" {
		return def.Name
	}
	return id
}

// begunLabels are the labels of the periods of the goal's rows for the
// participant that have a day to draw.
func begunLabels(rep *goalkit.Report, goalID, participant string) []string {
	var labels []string
	for _, row := range rep.Goals.Rows {
		if row.Goal == goalID && row.Participant == participant && len(row.Series) > 0 {
			labels = append(labels, row.Label)
		}
	}
	return labels
}

// leaderboard finds -leaderboard's board for -period. Without
// -leaderboard it is the first leaderboard, with -period the first that has
// that period (a weekly board before a monthly one has no 2025-03); without
// -period, the board's last period that has begun by the report's date.
func (r *exportRequest) leaderboard(rep *goalkit.Report, begun func(period.Period) bool) (score.Board, error) {
	var found []score.Board
	if rep.Scores != nil {
		for _, b := range rep.Scores.Leaderboards {
			if (r.board == "" || b.Leaderboard == r.board) && (r.period == "" || b.Label == r.period) {
				if r.board == "" {
					r.board = b.Leaderboard
				}
				if b.Leaderboard == r.board {
					found = append(found, b)
				}
			}
		}
	}
	if len(found) == 0 {
		var boards, labels []string
		if rep.Scores != nil {
			for _, b := range rep.Scores.Leaderboards {
				boards = appendNew(boards, b.Leaderboard)
				if r.board == "" || b.Leaderboard == r.board {
					labels = appendNew(labels, b.Label)
				}
			}
		}
		switch {
		case r.board == "" && len(boards) == 0:
			return score.Board{}, fmt.Errorf("the report has no leaderboard")
		case r.board == "":
			// No board has -period: say the periods that any has.
			return score.Board{}, fmt.Errorf("the report has no leaderboard for %s (its leaderboards have %s)", r.period, orList(labels))
		case len(labels) > 0:
			return score.Board{}, fmt.Errorf("the report has no leaderboard %q for %s (it has %s)", r.board, r.period, orList(labels))
		}
		return score.Board{}, fmt.Errorf("the report has no leaderboard %q (%s)", r.board, has(boards, "leaderboards"))
	}
	// Its last period that has begun (its first when none has).
	board := found[0]
	for _, b := range found {
		if begun(b.Period) {
			board = b
		}
	}
	return board, nil
}

// writeFile writes the export to path through internal/safefile: beside
// the target, on disk before it takes the target's name; a link followed,
// a pipe or the standard output's own file written in place.
func writeFile(path string, write func(io.Writer) error) error {
	return safefile.Write(path, os.Stdout, write)
}

// sameAsStdout reports whether fi is the file the standard output writes
// to.
func sameAsStdout(fi os.FileInfo) bool {
	out, err := os.Stdout.Stat()
	return err == nil && os.SameFile(fi, out)
}

// name is the name of a participant of a kind from the directory: a
// unit's or group's (goal.Team) among its units, a person's (goal.User)
// among its users, so that user 1 is never shown by department 1's name.
func (r *exportRequest) name(kind goal.ParticipantKind, id string) (string, bool) {
	switch kind {
	case goal.Team:
		n, ok := r.units[id]
		return n, ok && n != ""
	case goal.User:
		if r.users != nil {
			return r.users(id)
		}
	}
	return "", false
}

// names are the options of the documents and the workbook (one type):
// the directory's names by kind with -directory (on the workbook, a column
// "name" on every sheet of participants), none without, so that a
// workbook without a directory keeps its columns.
func (r *exportRequest) names() []pdf.Option {
	if r.units == nil {
		return nil
	}
	return []pdf.Option{pdf.WithNamer(r.name)}
}

// boardDef is the plan's definition of leaderboard id (its zero value
// where the plan has none).
func boardDef(plan *goalkit.Plan, id string) score.LeaderboardDef {
	for _, b := range plan.Definition().Leaderboards {
		if b.ID == id {
			return b
		}
	}
	return score.LeaderboardDef{}
}

// unitNames are the names of the directory's units that have one, by id.
func unitNames(ctx context.Context, dir org.Directory) (map[string]string, error) {
	units, err := dir.Units(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, u := range units {
		if u.Name != "" {
			names[u.ID] = u.Name
		}
	}
	return names, nil
}

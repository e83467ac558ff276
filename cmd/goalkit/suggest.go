package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/isodate"
	"github.com/shopspring/decimal"
)

// maxSuggestHistory is the most earlier periods a suggestion reads, as
// goal.Set.Suggest bounds its SuggestRequest.History.
const maxSuggestHistory = 2 * forecast.MaxHistory

// runSuggest proposes the targets of the coming period from history.
func runSuggest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("suggest-targets", stderr)
	var in inputs
	in.define(fs, eventsUsage, "propose as of this RFC 3339 instant: only events up to it count (default now)")
	in.defineMapping(fs)
	forDate := fs.String("for", "", "propose for each goal's period that contains this date (default the period after the current one)")
	history := fs.Int("history", forecast.DefaultSuggestHistory, fmt.Sprintf("how many earlier periods are read, 1 to %d", maxSuggestHistory))
	pct := fs.String("percentile", "50", "the percentile of the earlier results per working day taken as the base, 0..100")
	stretch := fs.String("stretch", "1", "a factor on the base (a divisor for lower-is-better goals)")
	in.defineDirectory(fs, goalTeamsUsage)
	format := formatFlag(fs, "table", "json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	asOf, err := in.at()
	if err != nil {
		return err
	}
	req := goal.SuggestRequest{AsOf: asOf, History: *history}
	q, err := decimal.NewFromString(*pct)
	if err != nil || q.Sign() < 0 || q.Cmp(decimal.NewFromInt(100)) > 0 {
		return usagef("-percentile must be a number from 0 to 100, got %q", *pct)
	}
	q = q.Shift(-2) // a percent as a fraction, exactly
	req.Percentile = &q
	st, err := decimal.NewFromString(*stretch)
	if err != nil || st.Sign() <= 0 {
		return usagef("-stretch must be a number above 0, got %q", *stretch)
	}
	req.Stretch = &st
	if *history < 1 || *history > maxSuggestHistory {
		return usagef("-history must be 1 to %d periods, got %d", maxSuggestHistory, *history)
	}
	if *forDate != "" {
		if req.For, err = isodate.Parse(*forDate); err != nil {
			return usagef("-for: %w", err)
		}
	}
	plan, store, opts, _, err := in.evaluation(ctx, "")
	if err != nil {
		return err
	}
	out, err := plan.Suggest(ctx, store, asOf, req, opts...)
	if err != nil {
		return err
	}
	if format.name == "json" {
		if out == nil {
			out = []forecast.Suggestion{}
		}
		return writeIndentedJSON(stdout, out)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "goal\tparticipant\tperiod\tsuggested\tP(reached)\tbase/workday\tworkdays\tseason\tstretch\tperiods\tplan target\tP(plan)\t")
	for _, s := range out {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%d\t%s\t%s\t\n", s.Goal, s.Participant, s.Period, s.Target, orDash(s.Chance),
			s.Base, s.Workdays, s.Season, s.Stretch, s.Periods, orDash(s.Current), orDash(s.CurrentChance))
	}
	return tw.Flush()
}

func orDash(s *string) string {
	if s == nil {
		return "-"
	}
	return *s
}

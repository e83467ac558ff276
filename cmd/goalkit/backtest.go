package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/isodate"
	"github.com/shopspring/decimal"
)

// runBacktest replays the forecasts of a plan's goals over past periods and
// scores each forecast method against what really happened.
func runBacktest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backtest", stderr)
	var in inputs
	in.define(fs, eventsUsage, "the instant the events reach: periods over by then are replayed (default now)")
	in.defineMapping(fs)
	from := fs.String("from", "", "replay the goal periods that start on or after this date (default the plan's report from)")
	to := fs.String("to", "", "… and before this date (default the plan's report to)")
	atFlag := fs.String("at", "25%,50%,75%", "the points of each period where forecasts are made, as percents of its calendar time")
	in.defineDirectory(fs, goalTeamsUsage)
	format := formatFlag(fs, "table", "json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	at, err := parsePoints(*atFlag)
	if err != nil {
		return err
	}
	end, err := in.at()
	if err != nil {
		return err
	}
	plan, store, opts, _, err := in.evaluation(ctx, "")
	if err != nil {
		return err
	}
	req := goal.BacktestRequest{At: at, End: end, From: plan.Definition().Report.From, To: plan.Definition().Report.To}
	if *from != "" {
		if req.From, err = isodate.Parse(*from); err != nil {
			return usagef("-from: %w", err)
		}
	}
	if *to != "" {
		if req.To, err = isodate.Parse(*to); err != nil {
			return usagef("-to: %w", err)
		}
	}
	if req.To <= req.From {
		return usagef("-to (%s) must be after -from (%s)", req.To, req.From)
	}
	bt, err := plan.Backtest(ctx, store, end, req, opts...)
	if err != nil {
		return err
	}
	if format.name == "json" {
		return writeIndentedJSON(stdout, bt)
	}
	return writeBacktest(stdout, bt)
}

// parsePoints reads -at: percents ("25%") or shares ("0.25"), comma
// separated, each strictly inside the period. A percent is read as the
// decimal it is written as and made a share exactly: 0.7% is the share
// 0.007, where 0.7 / 100 in floating point is 0.006999999999999999.
func parsePoints(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		pct := strings.HasSuffix(f, "%")
		num := strings.TrimSuffix(f, "%")
		x, err := strconv.ParseFloat(num, 64)
		d, derr := decimal.NewFromString(num)
		if err != nil || derr != nil {
			return nil, usagef("-at: %q is not a percent", f)
		}
		if pct {
			// Inside the period, the exponent is bounded by the digits
			// written, and the exact share is cheap to compute.
			if x /= 100; x > 0 && x < 1 {
				x, _ = d.Shift(-2).Float64()
			}
		}
		if !(x > 0 && x < 1) {
			return nil, usagef("-at: %q must be inside the period (above 0%% and below 100%%)", f)
		}
		// A point given twice (50%,0.5) counted each of its forecasts
		// twice in every score.
		if slices.Contains(out, x) {
			return nil, usagef("-at: %q is a point given before", f)
		}
		out = append(out, x)
	}
	return out, nil
}

// writeBacktest writes the scores as tables: the methods, each point, and
// the reliability of the probabilities.
func writeBacktest(w io.Writer, bt *forecast.Backtest) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "Backtest of goal periods from %s to %s at %s: %d forecasts per method\n", bt.From, bt.To, strings.Join(bt.At, ", "), bt.Cases)
	for _, s := range bt.Skipped {
		fmt.Fprintf(tw, "skipped %s\n", s)
	}
	fmt.Fprintln(tw, "\ngoal\tmethod\tat\tforecasts\tMAE\trelative MAE\twith target\tBrier\t")
	scores := func(goal string, ms []forecast.MethodScore) {
		// An undefined score is "-": a mean of no forecast (MAE), of none
		// judged (Brier), or a relative error where every final value is
		// 0. The mean absolute error of every goal together mixes units.
		score := func(d decimal.NullDecimal) string {
			if !d.Valid {
				return "-"
			}
			return d.Decimal.String()
		}
		mae := func(s forecast.Score) string {
			if goal == "all" {
				return "-"
			}
			return score(s.MAE)
		}
		for _, m := range ms {
			fmt.Fprintf(tw, "%s\t%s\tall\t%d\t%s\t%s\t%d\t%s\t\n", goal, m.Method, m.Forecasts, mae(m.Score), score(m.RelativeMAE), m.Judged, score(m.Brier))
			for _, s := range m.ByAt {
				fmt.Fprintf(tw, "\t\t%s\t%d\t%s\t%s\t%d\t%s\t\n", s.At, s.Forecasts, mae(s), score(s.RelativeMAE), s.Judged, score(s.Brier))
			}
		}
	}
	for _, g := range bt.Goals {
		scores(g.Goal, g.Methods)
	}

	if len(bt.Goals) > 1 {
		scores("all", bt.Methods)
	}
	fmt.Fprintln(tw, "\nreliability: of the forecasts that gave P(reached) in a bin, how many reached the target")
	fmt.Fprintln(tw, "method\tP from\tto\tforecasts\tmean P\treached\tshare reached\t")
	for _, m := range bt.Methods {
		for _, b := range m.Reliability {
			if b.Count == 0 {
				continue
			}
			// Rounded as the mean P beside it is, half up in exact
			// decimals: 5 of 16 is 0.313.
			share := decimal.NewFromInt(int64(b.Reached)).DivRound(decimal.NewFromInt(int64(b.Count)), 3).StringFixed(3)
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%d\t%s\t\n", m.Method, b.From, b.To, b.Count, b.MeanP, b.Reached, share)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// The method to name in each goal's forecast: the lowest Brier score.
	fmt.Fprintln(w)
	for _, g := range bt.Goals {
		fmt.Fprintf(w, "best for %s (lowest Brier score): %s\n", g.Goal, g.Best)
	}
	return nil
}

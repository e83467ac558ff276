package goalkit

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// Cell names one value of a report: an indicator for a participant (a
// user, a group of WithGroups, or "*" for everyone) in a period.
type Cell struct {
	Indicator   string
	Participant string
	Period      period.Period
	// By, for an indicator declared with by, names one of its breakdown
	// rows: the attributes' values in the order of its by, typed as
	// kpi.Row.By gives them (nil for events without the
	// attribute). Nil: the total.
	By []any
}

// Explain tells how one value of the report came about: the events that made
// it, and the events of the same kinds left out, with the reason. It reads
// src once. The participant is an actor with events, one of WithParticipants,
// a group of WithGroups, a unit or a user of the directory of WithDirectory,
// or "*": anyone else is an error with a did-you-mean, never a silent 0.
// A team's members are those of the report with the same options (of the
// report's dates, or of the cell's period when no such report has it).
// The value is the report's, a running formula's (one that reads its own
// prev()) in a later period included: its total runs from the report's
// first period. A period given by its dates alone (no Grain, as the
// report's JSON writes period_start and period_end) is the report's period
// of those dates.
// A cell the report does not have (an unknown indicator or participant, a
// breakdown row of an indicator not broken down so) is an error for which
// errors.Is(err, fs.ErrNotExist) holds; a failure to read the source or the
// directory is not.
func (p *Plan) Explain(ctx context.Context, src kpi.Source, asOf time.Time, cell Cell, opts ...EvalOption) (*kpi.Explanation, error) {
	if err := needAsOf("Explain", "asOf", asOf); err != nil {
		return nil, err
	}
	c := p.config(asOf, opts)
	if cell.Period.Grain.IsZero() {
		// A period given by its dates alone (as the report's JSON writes
		// it) is the report's of those dates: explained as a report of it
		// alone, a running formula would start there.
		if i := slices.IndexFunc(c.req.Periods, func(q period.Period) bool {
			return q.Start == cell.Period.Start && q.End == cell.Period.End
		}); i >= 0 {
			cell.Period = c.req.Periods[i]
		}
	}
	if !slices.Contains(c.req.Periods, cell.Period) {
		// A period of no report with these options: explained as the
		// report of it alone.
		c.req.Periods = []period.Period{cell.Period}
	}
	// The directory's teams as the report reads them, over its dates: a
	// membership clipped to the period alone could cover all of it and
	// count for a window or prev() before the member joined.
	if err := p.loadOrg(ctx, &c); err != nil {
		return nil, err
	}
	// The report's periods stay: a running formula accumulates from the
	// first of them (kpi.Set.Explain evaluates those up to the cell's).
	if c.org != nil {
		c.req.Participants = append(c.req.Participants, c.org.Users(cell.Period)...)
	}
	var ex *kpi.Explanation
	err := kpi.Snapshot(ctx, src, p.cal.Location(), kpi.Query{Kinds: p.indicators.Kinds()}, func(tab *kpi.Table) error {
		var err error
		ex, err = p.indicators.Explain(ctx, tab, c.req, cell.Indicator, cell.Participant, cell.Period, cell.By, c.explainLimit)
		return err
	})
	return ex, err
}

// WriteExplanation writes an explanation for people to read: the value
// (exact), the events that made it and those left out, under the reasons of
// kpi.Explanation (the names JSON gives them), each with its count; a
// formula's inputs below it, one read with prev() named so ("prev(revenue)
// for anna in 2025-02", the earlier period's). Text
// that came from outside is written with its control characters escaped.
func WriteExplanation(w io.Writer, ex *kpi.Explanation) error {
	bw := bufio.NewWriter(w)
	writeExplanation(bw, ex, "")
	return bw.Flush()
}

func writeExplanation(w *bufio.Writer, ex *kpi.Explanation, indent string) {
	val := "undefined"
	if ex.Value.Valid {
		val = ex.Value.Decimal.String()
	}
	name := display.Text(ex.Indicator)
	switch {
	case ex.Back == 1: // an input a formula reads with prev(), in its period
		name = "prev(" + name + ")"
	case ex.Back > 1:
		name = fmt.Sprintf("prev(%s, %d)", name, ex.Back)
	}
	fmt.Fprintf(w, "%s%s for %s%s in %s = %s\n", indent, name, display.Text(who(ex.Participant)), byText(ex.By), ex.Label, val)
	if ex.Formula != "" {
		fmt.Fprintf(w, "%s  formula: %s\n", indent, display.Text(ex.Formula))
		for _, in := range ex.Inputs {
			writeExplanation(w, in, indent+"  ")
		}
		return
	}
	switch {
	case ex.From != "":
		fmt.Fprintf(w, "%s  cumulative: the events from %s to the period's end\n", indent, ex.From)
	case len(ex.Cohort) > 0:
		fmt.Fprintf(w, "%s  cohort: each event counts for the date and actor of its entity's first %s event\n", indent, display.Text(strings.Join(ex.Cohort, " or ")))
	}
	fmt.Fprintf(w, "%s  %s of %s:\n", indent, ex.Aggregate, events(len(ex.Included)))
	for _, c := range ex.Included {
		line := fmt.Sprintf("%s    + %s  %s  %s", indent, display.Text(c.Event), c.Time.Format(time.RFC3339), display.Text(c.Actor))
		if c.Amount != "" {
			line += fmt.Sprintf("  %s %s", c.Amount, display.Text(c.Currency))
		}
		if c.Rate != "" {
			line += fmt.Sprintf("  × %s", c.Rate)
		}
		if c.Value != "" && c.Value != c.Amount {
			line += "  → " + display.Text(c.Value)
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	if len(ex.ExcludedCounts) > 0 {
		reasons := make([]string, 0, len(ex.ExcludedCounts))
		for r := range ex.ExcludedCounts {
			reasons = append(reasons, r)
		}
		slices.Sort(reasons)
		fmt.Fprintf(w, "%s  left out:\n", indent)
		for _, r := range reasons {
			fmt.Fprintf(w, "%s    %s: %s\n", indent, r, events(ex.ExcludedCounts[r]))
			listed := 0
			for _, e := range ex.Excluded {
				if e.Reason == r {
					fmt.Fprintf(w, "%s      - %s  %s  %s\n", indent, display.Text(e.Event), e.Time.Format(time.RFC3339), display.Text(e.Actor))
					listed++
				}
			}
			if more := ex.ExcludedCounts[r] - listed; more > 0 && listed > 0 {
				fmt.Fprintf(w, "%s      … and %d more\n", indent, more)
			}
		}
	}
}

// byText is how an explanation names its breakdown row: " with source =
// web, pipeline = 2" (attributes in name order; "(none)" for events without
// it), or "" for a total.
func byText(by map[string]any) string {
	if len(by) == 0 {
		return ""
	}
	names := make([]string, 0, len(by))
	for n := range by {
		names = append(names, n)
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, n := range names {
		v := AttrText(by[n])
		if by[n] == nil {
			v = "(none)"
		}
		parts[i] = display.Text(n + " = " + v)
	}
	return " with " + strings.Join(parts, ", ")
}

// events counts events in words: "1 event", "3 events".
func events(n int) string {
	if n == 1 {
		return "1 event"
	}
	return strconv.Itoa(n) + " events"
}

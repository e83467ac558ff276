package goalkit

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
)

// Report is the outcome of Plan.Evaluate. Its JSON form is the report format
// of the file-format contract.
type Report struct {
	AsOf     time.Time
	Timezone string
	Values   *kpi.Result
	// Scores holds the scorecards, bonuses, leaderboards, badges and
	// competitions; nil when the plan has no scorecards.
	Scores *score.Scores
	// Goals holds the goal rows, notifications and corrections; nil when
	// the plan has no goals.
	Goals *goal.Result
	// Cascade holds the evaluated cascades and their issues; nil when the
	// plan has none.
	Cascade *cascade.Result
	cal     *period.Calendar
}

// WriteJSON writes the report as JSON: as_of, timezone, values (one row per
// indicator × participant × period, values as decimal strings or null), and,
// when there are any, unpriced events and warnings.
func (r *Report) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	var b []byte
	b = append(b, "{\n  \"as_of\": "...)
	b = strconv.AppendQuote(b, r.AsOf.UTC().Format(time.RFC3339Nano))
	b = append(b, ",\n  \"timezone\": "...)
	b = strconv.AppendQuote(b, r.Timezone)
	b = append(b, ",\n  \"values\": ["...)
	periods := r.Values.Periods()
	starts := make([]string, len(periods))
	ends := make([]string, len(periods))
	for i, p := range periods {
		starts[i] = strconv.Quote(p.Start.String())
		ends[i] = strconv.Quote(p.End.String())
	}
	first := true
	for _, ix := range r.Values.Set().Indicators() {
		id := strconv.Quote(ix.ID())
		for _, part := range r.Values.Participants() {
			qp := strconv.Quote(part)
			for pi, p := range periods {
				v, _ := r.Values.Value(ix.ID(), part, p)
				if !first {
					b = append(b, ',')
				}
				first = false
				b = append(b, "\n    {\"indicator\": "...)
				b = append(b, id...)
				b = append(b, ", \"participant\": "...)
				b = append(b, qp...)
				b = append(b, ", \"period_start\": "...)
				b = append(b, starts[pi]...)
				b = append(b, ", \"period_end\": "...)
				b = append(b, ends[pi]...)
				b = append(b, ", \"value\": "...)
				if v.Valid {
					b = append(b, '"')
					b = append(b, v.Decimal.String()...)
					b = append(b, '"')
				} else {
					b = append(b, "null"...)
				}
				b = append(b, '}')
				if len(b) > 1<<15 {
					if _, err := bw.Write(b); err != nil {
						return err
					}
					b = b[:0]
				}
			}
		}
	}
	b = append(b, "\n  ]"...)
	if len(r.Values.Unpriced) > 0 {
		js, err := json.MarshalIndent(r.Values.Unpriced, "  ", "  ")
		if err != nil {
			return err
		}
		b = append(b, ",\n  \"unpriced\": "...)
		b = append(b, js...)
	}
	if warnings := r.Values.Warnings; len(warnings) > 0 {
		js, err := json.MarshalIndent(warnings, "  ", "  ")
		if err != nil {
			return err
		}
		b = append(b, ",\n  \"warnings\": "...)
		b = append(b, js...)
	}
	b, err := appendScores(b, r.Scores)
	if err != nil {
		return err
	}
	if b, err = appendGoals(b, r.Goals); err != nil {
		return err
	}
	if b, err = appendCascade(b, r.Cascade); err != nil {
		return err
	}
	b = append(b, "\n}\n"...)
	if _, err := bw.Write(b); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteCSV writes the values as CSV: indicator, participant, period (label),
// period_start, period_end, value (empty when undefined).
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"indicator", "participant", "period", "period_start", "period_end", "value"}); err != nil {
		return err
	}
	for _, row := range r.Values.Rows() {
		v := ""
		if row.Value.Valid {
			v = row.Value.Decimal.String()
		}
		if err := cw.Write([]string{row.Indicator, row.Participant, r.cal.Label(row.Period), row.Period.Start.String(), row.Period.End.String(), v}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteTable writes the values for people to read: one block per period, a
// row per participant and a column per indicator.
func (r *Report) WriteTable(w io.Writer) error {
	bw := bufio.NewWriter(w)
	inds := r.Values.Set().Indicators()
	fmt.Fprintf(bw, "as of %s (%s)\n", r.AsOf.In(r.cal.Location()).Format("2006-01-02 15:04 MST"), r.Timezone)
	for _, p := range r.Values.Periods() {
		fmt.Fprintf(bw, "\n%s\n", r.cal.Label(p))
		header := []string{"participant"}
		for _, ix := range inds {
			header = append(header, ix.ID())
		}
		rows := [][]string{header}
		for _, part := range r.Values.Participants() {
			line := []string{part}
			for _, ix := range inds {
				v, _ := r.Values.Value(ix.ID(), part, p)
				s := "—"
				if v.Valid {
					s = formatNumber(v.Decimal.String())
				}
				line = append(line, s)
			}
			rows = append(rows, line)
		}
		writeAligned(bw, rows)
	}
	for _, u := range r.Values.Unpriced {
		fmt.Fprintf(bw, "\nunpriced: %s event %s, %s %s on %s (no rate)", u.Indicator, u.Event, u.Amount, u.Currency, u.Date)
	}
	for _, wn := range r.Values.Warnings {
		fmt.Fprintf(bw, "\nwarning: %s, %s, %s: %s", wn.Indicator, wn.Participant, wn.Period, wn.Msg)
	}
	if len(r.Values.Unpriced)+len(r.Values.Warnings) > 0 {
		bw.WriteString("\n")
	}
	writeScores(bw, r.Scores)
	writeGoals(bw, r.Goals)
	writeCascade(bw, r.Cascade)
	return bw.Flush()
}

// formatNumber rounds long fractions for reading: at most 4 decimal places.
func formatNumber(s string) string {
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > 4 {
		return s[:i+5] + "…"
	}
	return s
}

func writeAligned(w io.Writer, rows [][]string) {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			pad := widths[i] - len([]rune(c))
			if i == 0 {
				b.WriteString(c)
				b.WriteString(strings.Repeat(" ", pad))
			} else {
				b.WriteString("  ")
				b.WriteString(strings.Repeat(" ", pad))
				b.WriteString(c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

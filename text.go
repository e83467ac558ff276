package goalkit

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

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

// WriteScores writes scorecards (each total with its breakdown), bonuses,
// leaderboards, badges and competitions for people to read.
func WriteScores(w io.Writer, s *score.Scores) error {
	bw := bufio.NewWriter(w)
	writeScores(bw, s)
	return bw.Flush()
}

func writeScores(w *bufio.Writer, s *score.Scores) {
	if s == nil {
		return
	}
	last := ""
	for _, c := range s.Scorecards {
		if h := c.Scorecard + " " + c.Label; h != last {
			fmt.Fprintf(w, "\nscorecard %s, %s\n", c.Scorecard, c.Label)
			last = h
		}
		gates := ""
		if c.Factor.Cmp(decimal.NewFromInt(1)) != 0 {
			var names []string
			for _, k := range c.KPIs {
				if k.Gated {
					names = append(names, k.KPI)
				}
			}
			gates = fmt.Sprintf(" (subtotal %s × gate factor %s: %s)", num(c.Subtotal), num(c.Factor), strings.Join(names, ", "))
		}
		fmt.Fprintf(w, "  %s: total %s%s\n", c.Participant, num(c.Total), gates)
		rows := [][]string{{"    kpi", "actual", "target", "achievement", "score", "weight", "contribution"}}
		for _, k := range c.KPIs {
			name := "    " + k.KPI
			if k.Gated {
				name += " (gate)"
			}
			rows = append(rows, []string{name, nullNum(k.Actual), num(k.Target), nullNum(k.Achievement), num(k.Score), num(k.Weight), num(k.Contribution)})
		}
		writeAligned(w, rows)
	}
	last = ""
	var rows [][]string
	flush := func() {
		if len(rows) > 1 {
			writeAligned(w, rows)
		}
		rows = nil
	}
	for _, p := range s.Bonuses {
		if h := p.Bonus + " " + p.Label; h != last {
			flush()
			fmt.Fprintf(w, "\nbonus %s, %s (%s, rounded %s)\n", p.Bonus, p.Label, p.Currency, p.Rounding)
			last = h
			if p.Pool != nil {
				rows = [][]string{{"  participant", "team", "score", "share weight", "amount"}}
			} else {
				rows = [][]string{{"  participant", "score", "payout %", "base part", "tiers", "gross", "penalties", "amount"}}
			}
		}
		if p.Pool != nil {
			team := p.Pool.Team
			if team == "" {
				team = "—"
			}
			rows = append(rows, []string{"  " + p.Participant, team, num(p.Score), num(p.Pool.Weight), money(p.Amount)})
			continue
		}
		pen := decimal.Zero
		for _, h := range p.Penalties {
			pen = pen.Add(h.Amount)
		}
		pct := nullNum(p.Percent)
		if !p.Qualified {
			pct = "under threshold"
		}
		gross := num(p.Gross)
		if p.Capped {
			gross += " (max)"
		}
		rows = append(rows, []string{"  " + p.Participant, num(p.Score), pct, num(p.BaseAmount), num(p.TierAmount), gross, num(pen), money(p.Amount)})
	}
	flush()
	for _, b := range s.Leaderboards {
		fmt.Fprintf(w, "\nleaderboard %s, %s\n", b.Leaderboard, b.Label)
		rows := [][]string{{"  rank", "participant", "value"}}
		for _, st := range b.Standings {
			rank := strconv.Itoa(st.Rank)
			if st.Rank == 0 {
				rank = "—"
			}
			who := st.Participant
			if st.Headcount > 0 {
				who += fmt.Sprintf(" (%d)", st.Headcount)
			}
			rows = append(rows, []string{"  " + rank, who, nullNum(st.Value)})
		}
		writeAligned(w, rows)
	}
	if len(s.Badges) > 0 {
		fmt.Fprintf(w, "\nbadges\n")
		rows := [][]string{{"  period", "participant", "badge", "value", "key"}}
		for _, a := range s.Badges {
			v := nullNum(a.Value)
			if a.Rank > 0 {
				v = fmt.Sprintf("rank %d", a.Rank)
			}
			rows = append(rows, []string{"  " + a.Label, a.Participant, a.Badge, v, a.Key})
		}
		writeAligned(w, rows)
	}
	for _, c := range s.Competitions {
		winners := strings.Join(c.Winners, ", ")
		if winners == "" {
			winners = "none"
		}
		fmt.Fprintf(w, "\ncompetition %s, [%s, %s) (%s): winner %s\n", c.Competition, c.From, c.To, strings.Join(c.Periods, ", "), winners)
		rows := [][]string{{"  rank", "department", "value"}}
		for _, st := range c.Standings {
			rows = append(rows, []string{"  " + strconv.Itoa(st.Rank), fmt.Sprintf("%s (%d)", st.Participant, st.Headcount), nullNum(st.Value)})
		}
		writeAligned(w, rows)
	}
}

// writeGoals writes goal progress for people to read.
func writeGoals(w *bufio.Writer, g *goal.Result) {
	if g == nil || len(g.Rows) == 0 {
		return
	}
	last := ""
	var rows [][]string
	flush := func() {
		if len(rows) > 1 {
			writeAligned(w, rows)
		}
		rows = nil
	}
	for _, r := range g.Rows {
		if h := r.Goal + " " + r.Label; h != last {
			flush()
			name := r.Name
			if name == "" {
				name = r.Goal
			}
			fmt.Fprintf(w, "\ngoal %s (%s), %s [%s, %s)\n", r.Goal, name, r.Label, r.Period.Start, r.Period.End)
			rows = [][]string{{"  participant", "target", "actual", "achievement", "expected", "forecast", "status", "rank"}}
			last = h
		}
		rank := "—"
		if r.Rank > 0 {
			rank = strconv.Itoa(r.Rank)
		}
		ach := "—"
		if r.Achievement.Capped.Valid {
			ach = r.Achievement.Capped.Decimal.Shift(2).Round(1).String() + " %"
		}
		rows = append(rows, []string{"  " + r.Participant, nullNum(r.Target), nullNum(r.Actual), ach, nullNum(r.Expected),
			nullNum(r.Forecast), strings.ReplaceAll(string(r.Status), "_", " "), rank})
	}
	flush()
	if len(g.Notifications) > 0 {
		fmt.Fprintf(w, "\nnotifications\n")
		for _, n := range g.Notifications {
			fmt.Fprintf(w, "  %s: %s\n", n.Kind, n.Message)
		}
	}
	for _, c := range g.Corrections {
		verb := "reported, not applied (freeze)"
		if c.Applied {
			verb = "restated"
		}
		fmt.Fprintf(w, "\ncorrection: %s, %s, %s: actual %s, closed with %s; %s\n", c.Goal, c.Participant, c.Period, nullNum(c.After.Actual), nullNum(c.Before.Actual), verb)
	}
}

// writeCascade writes the cascades for people to read: one indented line per
// node with its target, actual, achievement and contribution, then the issues.
func writeCascade(w *bufio.Writer, r *cascade.Result) {
	if r == nil {
		return
	}
	for _, t := range r.Trees {
		name := t.Name
		if name == "" {
			name = t.Cascade
		}
		fmt.Fprintf(w, "\ncascade %s (%s), %s, roll-up by %s\n", t.Cascade, name, t.Indicator, t.Rollup)
		rows := [][]string{{"  node", "target", "actual", "achievement", "contribution"}}
		var walk func(n *cascade.Node, depth int)
		walk = func(n *cascade.Node, depth int) {
			rows = append(rows, []string{"  " + strings.Repeat("  ", depth) + n.ID, nullNum(n.Target), nullNum(n.Actual), percent(n.Achievement), percent(n.Contribution)})
			for _, c := range n.Children {
				walk(c, depth+1)
			}
		}
		walk(t.Root, 0)
		writeAligned(w, rows)
	}
	for _, is := range r.Issues {
		fmt.Fprintf(w, "\ncascade issue: %s", is)
	}
	if len(r.Issues) > 0 {
		w.WriteString("\n")
	}
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

// formatNumber rounds long fractions for reading: at most 4 decimal places.
func formatNumber(s string) string {
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > 4 {
		return s[:i+5] + "…"
	}
	return s
}

func num(d decimal.Decimal) string { return formatNumber(d.String()) }

func nullNum(d decimal.NullDecimal) string {
	if !d.Valid {
		return "—"
	}
	return num(d.Decimal)
}

// money writes an amount rounded to its minor unit with all its places.
func money(d decimal.Decimal) string {
	if e := d.Exponent(); e < 0 {
		return d.StringFixed(-e)
	}
	return d.String()
}

// percent writes a ratio as a percent with one decimal place, or "—".
func percent(d decimal.NullDecimal) string {
	if !d.Valid {
		return "—"
	}
	return d.Decimal.Shift(2).Round(1).String() + " %"
}

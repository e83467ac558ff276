package goalkit

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// WriteTable writes the report for people to read: for each period a block
// with a row per participant and a column per indicator, then the
// breakdowns (a block per broken-down indicator and period), scorecards,
// bonuses, leaderboards, badges, competitions, goals, cascades, goal
// statistics and explained changes the report holds. A report a host made
// without a plan is written as of the instant in its values' zone, else in
// the instant's own; one holding a nil goal row, cascade tree or node is
// refused (Check).
//
// A column is headed by the indicator's name (its id when it has none),
// followed by its currency or "%" when the name does not say it already,
// wrapped over several lines when long. The row of "*" (everyone together,
// ratios computed from the totals) comes last, under a rule, as
// "everyone (*)".
//
// Numbers are rounded for reading, half away from zero: money of an
// indicator with a currency to the currency's minor unit (score.MinorUnits:
// 152 666.67 RUB), other numbers to at most four decimal places, and every
// number of a column to the same places; the whole part is grouped in
// thousands with spaces. Achievements are written in percent with one
// decimal place ("achievement" is the same uncapped ratio as JSON's, so 15
// of 10 is 150 %). The exact values are in WriteJSON and WriteCSV.
//
// Text that came from outside (participants, names, messages) is written
// with its control characters escaped (display: \x1b, \n), so a report
// cannot move the cursor or clear the terminal it is printed on.
func (r *Report) WriteTable(w io.Writer) error {
	if err := r.Check(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	loc := r.AsOf.Location() // a host's report of no values, made without a plan
	if c := r.calendar(); c != nil {
		loc = c.Location()
	}
	fmt.Fprintf(bw, "as of %s (%s)\n", r.AsOf.In(loc).Format("2006-01-02 15:04 MST"), display.Text(r.Timezone))
	if r.Values != nil {
		r.writeValues(bw)
	}
	writeScores(bw, r.Scores, r.indicatorFmt)
	writeGoals(bw, r.Goals, r.goalFmt)
	writeCascade(bw, r.Cascade, r.indicatorFmt)
	writeGoalStats(bw, r.GoalStats)
	writeChanges(bw, r.Changes)
	return bw.Flush()
}

// calendar is the calendar of the report's periods: the plan's, else, in
// a report a host made, its values'; nil when it has neither.
func (r *Report) calendar() *period.Calendar {
	if r.cal == nil && r.Values != nil {
		return r.Values.Calendar()
	}
	return r.cal
}

// writeValues writes the tables of the values, the breakdowns, the
// unpriced events and the warnings.
func (r *Report) writeValues(bw *bufio.Writer) {
	inds := r.Values.Set().Indicators()
	parts := r.Values.Participants()
	titles := make([]string, len(inds))
	fmts := make([]numFmt, len(inds))
	for i, ix := range inds {
		titles[i] = indicatorTitle(ix)
		fmts[i] = indicatorFormat(ix)
	}
	vals := make([]decimal.NullDecimal, len(parts))
	cols := make([][]string, len(inds))
	for _, p := range r.Values.Periods() {
		fmt.Fprintf(bw, "\n%s\n", r.calendar().Label(p))
		for i, ix := range inds {
			for j, part := range parts {
				vals[j], _ = r.Values.Value(ix.ID(), part, p)
			}
			cols[i] = fmts[i].column(vals)
		}
		rows := headerRows("participant", titles, cols)
		for j, part := range parts {
			if part == org.Everyone && j > 0 {
				rows = append(rows, nil)
			}
			line := make([]string, 1, len(inds)+1)
			line[0] = who(part)
			for i := range inds {
				line = append(line, cols[i][j])
			}
			rows = append(rows, line)
		}
		writeAligned(bw, rows)
	}
	r.writeBreakdowns(bw)
	for _, u := range r.Values.Unpriced {
		rate := "no rate"
		if u.RateDate != "" {
			// The rate is looked up for another day than the event's
			// (rate: period_end): that day's is the one to add.
			rate = "no rate on " + u.RateDate
		}
		fmt.Fprintf(bw, "\nunpriced: %s event %s, %s %s on %s (%s)", u.Indicator, display.Text(u.Event), u.Amount, display.Text(u.Currency), u.Date, rate)
	}
	for _, wn := range r.Values.Warnings {
		// A warning of no indicator and no period (a team left out of
		// the values: kpi.Request.Groups) names what it has.
		where := slices.DeleteFunc([]string{wn.Indicator, display.Text(who(wn.Participant)), wn.Period}, func(s string) bool { return s == "" })
		fmt.Fprintf(bw, "\nwarning: %s: %s", strings.Join(where, ", "), display.Text(wn.Msg))
	}
	if len(r.Values.Unpriced)+len(r.Values.Warnings) > 0 {
		bw.WriteString("\n")
	}
}

// WriteCSV writes the values as CSV, one row per indicator × participant ×
// period: indicator, participant, period (its label), period_start,
// period_end, value (the exact decimal, empty when undefined). A report with
// breakdowns (indicators declared with by) has more columns: by, by.NAME
// for each attribute and other, empty on the rows of totals; an
// indicator's breakdown rows follow its totals.
//
// value is the one numeric column and is written as it is (a negative value
// stays a number); the text columns indicator, participant and period go
// through a spreadsheet's formula guard: a cell that starts with =, +, -, @,
// a tab or a carriage return gets a leading single quote, so an actor id
// "=HYPERLINK(…)" is not run as a formula when the file is opened.
//
// CSV holds the values only. A report with scorecards (Scores: with the
// bonuses, leaderboards, badges and competitions), goals, cascades, goal
// statistics or explained changes is refused, before anything is written,
// with an error that names them: write it with WriteJSON or WriteTable, or
// copy the report with those fields set to nil to write only its values.
func (r *Report) WriteCSV(w io.Writer) error {
	if more := r.notValues(); len(more) > 0 {
		return fmt.Errorf("csv holds the indicator values only, and this report also has %s: write it as json or table", andList(more))
	}
	cw := csv.NewWriter(w)
	if r.Values == nil {
		// A host's report of nothing: the header alone.
		if err := cw.Write([]string{"indicator", "participant", "period", "period_start", "period_end", "value"}); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	}
	byCols := csvByColumns(r.Values)
	if err := cw.Write(append([]string{"indicator", "participant", "period", "period_start", "period_end", "value"}, byCols...)); err != nil {
		return err
	}
	// The label, start and end of each period, written once.
	periods := map[period.Period][3]string{}
	for _, p := range r.Values.Periods() {
		periods[p] = [3]string{display.Cell(r.calendar().Label(p)), p.Start.String(), p.End.String()}
	}
	line := make([]string, 6+len(byCols))
	for _, row := range r.Values.Rows() {
		v := ""
		if row.Value.Valid {
			v = row.Value.Decimal.String()
		}
		p, ok := periods[row.Period]
		if !ok {
			p = [3]string{display.Cell(r.calendar().Label(row.Period)), row.Period.Start.String(), row.Period.End.String()}
		}
		line[0], line[1], line[2], line[3], line[4], line[5] = display.Cell(row.Indicator), display.Cell(row.Participant), p[0], p[1], p[2], v
		if byCols != nil {
			fillByColumns(line[6:], row, byCols, r.Values.Set())
		}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// notValues names the sections of the report other than the values.
func (r *Report) notValues() []string {
	var names []string
	if s := r.Scores; s != nil {
		names = append(names, "scorecards")
		for _, sec := range []struct {
			name string
			n    int
		}{{"bonuses", len(s.Bonuses)}, {"leaderboards", len(s.Leaderboards)}, {"badges", len(s.Badges)}, {"competitions", len(s.Competitions)}} {
			if sec.n > 0 {
				names = append(names, sec.name)
			}
		}
	}
	if r.Goals != nil {
		names = append(names, "goals")
	}
	if r.Cascade != nil {
		names = append(names, "cascades")
	}
	if r.GoalStats != nil {
		names = append(names, "goal statistics")
	}
	if len(r.Changes) > 0 {
		names = append(names, "explained changes")
	}
	return names
}

// andList joins words as a list in English: "a", "a and b", "a, b and c".
func andList(words []string) string {
	if n := len(words); n > 1 {
		return strings.Join(words[:n-1], ", ") + " and " + words[n-1]
	}
	return strings.Join(words, "")
}

// WriteScores writes scorecards (each total with its breakdown), bonuses,
// leaderboards, badges and competitions for people to read, as WriteTable
// does (without the plan, every number is written as a plain number).
func WriteScores(w io.Writer, s *score.Scores) error {
	bw := bufio.NewWriter(w)
	writeScores(bw, s, func(string) numFmt { return plainFmt })
	return bw.Flush()
}

func writeScores(w *bufio.Writer, s *score.Scores, indFmt func(indicator string) numFmt) {
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
			gates = fmt.Sprintf(" (subtotal %s × gate factor %s: %s)", plainFmt.num(c.Subtotal), plainFmt.num(c.Factor), strings.Join(names, ", "))
		}
		fmt.Fprintf(w, "  %s: total %s%s\n", display.Text(who(c.Participant)), plainFmt.num(c.Total), gates)
		n := len(c.KPIs)
		ach, sc, wt, con := make([]decimal.NullDecimal, n), make([]decimal.NullDecimal, n), make([]decimal.NullDecimal, n), make([]decimal.NullDecimal, n)
		for i, k := range c.KPIs {
			ach[i], sc[i] = k.Achievement, decimal.NewNullDecimal(k.Score)
			wt[i], con[i] = decimal.NewNullDecimal(k.Weight), decimal.NewNullDecimal(k.Contribution)
		}
		achS, scS, wtS, conS := percentFmt.column(ach), plainFmt.column(sc), plainFmt.column(wt), plainFmt.column(con)
		rows := [][]string{{"    kpi", "actual", "target", "achievement", "score", "weight", "contribution"}}
		for i, k := range c.KPIs {
			name := "    " + k.KPI
			if k.Gated {
				name += " (gate)"
			}
			f := indFmt(k.Indicator)
			rows = append(rows, []string{name, f.cell(k.Actual), f.num(k.Target), achS[i], scS[i], wtS[i], conS[i]})
		}
		writeAligned(w, rows)
	}
	writeBonuses(w, s.Bonuses)
	for _, b := range s.Leaderboards {
		fmt.Fprintf(w, "\nleaderboard %s, %s", b.Leaderboard, b.Label)
		if b.Cut() {
			// Cut to its top: the ranked it holds of those ranked.
			fmt.Fprintf(w, " (top %d of %d ranked shown)", b.Held(), b.Ranked)
		}
		fmt.Fprintln(w)
		vals := make([]decimal.NullDecimal, len(b.Standings))
		for i, st := range b.Standings {
			vals[i] = st.Value
		}
		valS := plainFmt.column(vals)
		rows := [][]string{{"  rank", "participant", "value"}}
		for i, st := range b.Standings {
			name := who(st.Participant)
			if st.Headcount > 0 {
				name += fmt.Sprintf(" (%d)", st.Headcount)
			}
			rows = append(rows, []string{"  " + rankText(st.Rank), name, valS[i]})
		}
		writeAligned(w, rows)
	}
	if len(s.Badges) > 0 {
		fmt.Fprintf(w, "\nbadges\n")
		rows := [][]string{{"  period", "participant", "badge", "value", "key"}}
		for _, a := range s.Badges {
			v := plainFmt.cell(a.Value)
			if a.Rank > 0 {
				v = fmt.Sprintf("rank %d", a.Rank)
			}
			rows = append(rows, []string{"  " + a.Label, who(a.Participant), a.Badge, v, a.Key})
		}
		writeAligned(w, rows)
	}
	for _, c := range s.Competitions {
		winners := make([]string, len(c.Winners))
		for i, p := range c.Winners {
			winners[i] = display.Text(who(p))
		}
		won := strings.Join(winners, ", ")
		if won == "" {
			won = "none"
		}
		fmt.Fprintf(w, "\ncompetition %s, [%s, %s) (%s): winner %s\n", c.Competition, c.From, c.To, strings.Join(c.Periods, ", "), won)
		vals := make([]decimal.NullDecimal, len(c.Standings))
		for i, st := range c.Standings {
			vals[i] = st.Value
		}
		valS := plainFmt.column(vals)
		rows := [][]string{{"  rank", "department", "value"}}
		for i, st := range c.Standings {
			rows = append(rows, []string{"  " + rankText(st.Rank), fmt.Sprintf("%s (%d)", who(st.Participant), st.Headcount), valS[i]})
		}
		writeAligned(w, rows)
	}
}

// rankText writes a standing's rank: "—" for none (0, without a value).
func rankText(rank int) string {
	if rank == 0 {
		return "—"
	}
	return strconv.Itoa(rank)
}

// writeBonuses writes one block per bonus and period: the payout of each
// participant, its amount rounded to the currency as paid, the figures
// before it exact to four places.
func writeBonuses(w *bufio.Writer, payouts []score.Payout) {
	for start := 0; start < len(payouts); {
		first := payouts[start]
		end := start + 1
		for end < len(payouts) && payouts[end].Bonus == first.Bonus && payouts[end].Label == first.Label {
			end++
		}
		block := payouts[start:end]
		start = end
		fmt.Fprintf(w, "\nbonus %s, %s (%s, rounded %s)\n", first.Bonus, first.Label, display.Text(first.Currency), first.Rounding)
		n := len(block)
		sc, amt := make([]decimal.NullDecimal, n), make([]decimal.NullDecimal, n)
		for i, p := range block {
			sc[i], amt[i] = decimal.NewNullDecimal(p.Score), decimal.NewNullDecimal(p.Amount)
		}
		scS := plainFmt.column(sc)
		amtS := amountColumn(amt)
		if first.Pool != nil {
			wt := make([]decimal.NullDecimal, n)
			for i, p := range block {
				if p.Pool != nil {
					wt[i] = decimal.NewNullDecimal(p.Pool.Weight)
				}
			}
			wtS := plainFmt.column(wt)
			rows := [][]string{{"  participant", "team", "score", "share weight", "amount"}}
			for i, p := range block {
				team := "—"
				if p.Pool != nil && p.Pool.Team != "" {
					team = p.Pool.Team
				}
				rows = append(rows, []string{"  " + who(p.Participant), team, scS[i], wtS[i], amtS[i]})
			}
			writeAligned(w, rows)
			continue
		}
		pct, base, tiers, gross, pen := make([]decimal.NullDecimal, n), make([]decimal.NullDecimal, n), make([]decimal.NullDecimal, n), make([]decimal.NullDecimal, n), make([]decimal.NullDecimal, n)
		for i, p := range block {
			total := decimal.Zero
			for _, h := range p.Penalties {
				total = total.Add(h.Amount)
			}
			pct[i], base[i], tiers[i] = p.Percent, decimal.NewNullDecimal(p.BaseAmount), decimal.NewNullDecimal(p.TierAmount)
			gross[i], pen[i] = decimal.NewNullDecimal(p.Gross), decimal.NewNullDecimal(total)
		}
		pctS, baseS, tiersS, grossS, penS := plainFmt.column(pct), plainFmt.column(base), plainFmt.column(tiers), plainFmt.column(gross), plainFmt.column(pen)
		rows := [][]string{{"  participant", "score", "payout %", "base part", "tiers", "gross", "penalties", "amount"}}
		for i, p := range block {
			if !p.Qualified {
				pctS[i] = "under threshold"
			}
			if p.Capped {
				grossS[i] += " (max)"
			}
			rows = append(rows, []string{"  " + who(p.Participant), scS[i], pctS[i], baseS[i], tiersS[i], grossS[i], penS[i], amtS[i]})
		}
		writeAligned(w, rows)
	}
}

// amountColumn writes amounts as they were rounded to be paid: with every
// place of the most exact of them (a pool's shares keep the minor unit).
func amountColumn(vals []decimal.NullDecimal) []string {
	places := int32(0)
	for _, v := range vals {
		if v.Valid {
			places = max(places, -v.Decimal.Exponent())
		}
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = "—"
		if v.Valid {
			out[i] = display.Grouped(v.Decimal.StringFixed(places))
		}
	}
	return out
}

// writeGoals writes goal progress for people to read: a block per goal and
// period, its numbers in the format of the goal's indicator.
func writeGoals(w *bufio.Writer, g *goal.Result, goalFmt func(goalID string) numFmt) {
	if g == nil || len(g.Rows) == 0 {
		return
	}
	for start := 0; start < len(g.Rows); {
		first := g.Rows[start]
		end := start + 1
		for end < len(g.Rows) && g.Rows[end].Goal == first.Goal && g.Rows[end].Label == first.Label {
			end++
		}
		block := g.Rows[start:end]
		start = end
		name := first.Name
		if name == "" {
			name = first.Goal
		}
		fmt.Fprintf(w, "\ngoal %s (%s), %s [%s, %s)\n", first.Goal, display.Text(name), first.Label, first.Period.Start, first.Period.End)
		n := len(block)
		cols := make([][]decimal.NullDecimal, 5)
		for i := range cols {
			cols[i] = make([]decimal.NullDecimal, n)
		}
		for i, r := range block {
			cols[0][i], cols[1][i], cols[2][i], cols[3][i], cols[4][i] = r.Target, r.Actual, r.Achievement.Uncapped, r.Expected, r.Forecast
		}
		f := goalFmt(first.Goal)
		target, actual, ach, expected, forecast := f.column(cols[0]), f.column(cols[1]), ratioFmt.column(cols[2]), f.column(cols[3]), f.column(cols[4])
		rows := [][]string{{"  participant", "target", "actual", "achievement", "expected", "forecast", "status", "rank"}}
		for i, r := range block {
			rank := "—"
			if r.Rank > 0 {
				rank = strconv.Itoa(r.Rank)
			}
			rows = append(rows, []string{"  " + who(r.Participant), target[i], actual[i], ach[i], expected[i], forecast[i],
				strings.ReplaceAll(string(r.Status), "_", " "), rank})
		}
		rows = withChance(rows, block, f)
		writeAligned(w, rows)
	}
	if len(g.Notifications) > 0 {
		fmt.Fprintf(w, "\nnotifications\n")
		for _, n := range g.Notifications {
			fmt.Fprintf(w, "  %s: %s\n", n.Kind, display.Text(n.Message))
		}
	}
	for _, c := range g.Corrections {
		verb := "reported, not applied (freeze)"
		if c.Applied {
			verb = "restated"
		}
		f := goalFmt(c.Goal)
		fmt.Fprintf(w, "\ncorrection: %s, %s, %s: actual %s, closed with %s; %s\n", c.Goal, display.Text(who(c.Participant)), c.Period, f.cell(c.After.Actual), f.cell(c.Before.Actual), verb)
	}
}

// writeCascade writes the cascades for people to read: one indented line per
// node with its target, actual, achievement and contribution, then the issues.
func writeCascade(w *bufio.Writer, r *cascade.Result, indFmt func(indicator string) numFmt) {
	if r == nil {
		return
	}
	for _, t := range r.Trees {
		name := t.Name
		if name == "" {
			name = t.Cascade
		}
		fmt.Fprintf(w, "\ncascade %s (%s), %s, roll-up by %s\n", t.Cascade, display.Text(name), t.Indicator, t.Rollup)
		var ids []string
		var target, actual, ach, con []decimal.NullDecimal
		var walk func(n *cascade.Node, depth int)
		walk = func(n *cascade.Node, depth int) {
			ids = append(ids, "  "+strings.Repeat("  ", depth)+n.ID)
			target, actual = append(target, n.Target), append(actual, n.Actual)
			ach, con = append(ach, n.Achievement), append(con, n.Contribution)
			for _, c := range n.Children {
				walk(c, depth+1)
			}
		}
		walk(t.Root, 0)
		f := indFmt(t.Indicator)
		targetS, actualS, achS, conS := f.column(target), f.column(actual), ratioFmt.column(ach), ratioFmt.column(con)
		rows := [][]string{{"  node", "target", "actual", "achievement", "contribution"}}
		for i, id := range ids {
			rows = append(rows, []string{id, targetS[i], actualS[i], achS[i], conS[i]})
		}
		writeAligned(w, rows)
	}
	for _, is := range r.Issues {
		fmt.Fprintf(w, "\ncascade issue: %s", display.Text(is.String()))
	}
	if len(r.Issues) > 0 {
		w.WriteString("\n")
	}
}

// who is how a table names a participant: "*" is everyone together.
func who(participant string) string {
	if participant == org.Everyone {
		return "everyone (*)"
	}
	return participant
}

// indicatorTitle heads an indicator's column: its name (or id), with its
// currency or "%" when the name does not say it.
func indicatorTitle(ix *kpi.Indicator) string {
	t := ix.Def.Name
	if t == "" {
		t = ix.ID()
	}
	t = display.Text(t)
	switch cur := ix.Def.Currency; ix.Unit() {
	case kpi.UnitMoney:
		if cur != "" && !strings.Contains(t, cur) {
			t += " (" + display.Text(cur) + ")"
		}
	case kpi.UnitPercent:
		if !strings.Contains(t, "%") {
			t += " (%)"
		}
	}
	return t
}

// headerWidth is the width a column's title is wrapped to when its numbers
// are narrower.
const headerWidth = 12

// headerRows returns the header lines of a table whose first column is
// headed first and whose other columns, holding cols, are headed by titles:
// each title wrapped at spaces to the width of its column (at least
// headerWidth), the lines of shorter titles at the bottom.
func headerRows(first string, titles []string, cols [][]string) [][]string {
	lines := make([][]string, len(titles))
	height := 1
	for i, t := range titles {
		width := headerWidth
		for _, c := range cols[i] {
			width = max(width, utf8.RuneCountInString(c))
		}
		lines[i] = wrap(t, width)
		height = max(height, len(lines[i]))
	}
	rows := make([][]string, height)
	for k := range rows {
		row := make([]string, len(titles)+1)
		if k == height-1 {
			row[0] = first
		}
		for i, ls := range lines {
			if j := k - (height - len(ls)); j >= 0 {
				row[i+1] = ls[j]
			}
		}
		rows[k] = row
	}
	return rows
}

// wrap breaks s at spaces into lines of at most width runes; a longer word
// keeps a line of its own.
func wrap(s string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	return append(lines, line)
}

// writeAligned writes rows as columns: the first left-aligned, the others
// right-aligned, two spaces apart; a nil row is a rule across the table.
// Every cell is escaped for the terminal.
func writeAligned(w io.Writer, rows [][]string) {
	var width []int
	for _, r := range rows {
		if len(r) > len(width) {
			width = append(width, make([]int, len(r)-len(width))...)
		}
		for i, c := range r {
			r[i] = display.Text(c)
			width[i] = max(width[i], utf8.RuneCountInString(r[i]))
		}
	}
	total := 0
	for _, n := range width {
		total += n + 2
	}
	var b strings.Builder
	for _, r := range rows {
		b.Reset()
		if r == nil {
			b.WriteString(strings.Repeat("-", max(total-2, 0)))
		}
		for i, c := range r {
			pad := width[i] - utf8.RuneCountInString(c)
			if i == 0 {
				b.WriteString(c)
				b.WriteString(strings.Repeat(" ", pad))
			} else {
				b.WriteString("  ")
				b.WriteString(strings.Repeat(" ", pad))
				b.WriteString(c)
			}
		}
		io.WriteString(w, strings.TrimRight(b.String(), " "))
		io.WriteString(w, "\n")
	}
}

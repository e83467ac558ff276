package goalkit

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/problem"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// compileScoring compiles the scorecard sections of the definition.
func (p *Plan) compileScoring(ps *problem.List) {
	d := &p.def
	if len(d.Scorecards)+len(d.Bonuses)+len(d.Leaderboards)+len(d.Badges)+len(d.Competitions) == 0 {
		return
	}
	s, err := score.Compile(score.Defs{Scorecards: d.Scorecards, Bonuses: d.Bonuses, Leaderboards: d.Leaderboards,
		Badges: d.Badges, Competitions: d.Competitions}, p.indicators)
	ps.Merge(err)
	p.scoring = s
}

// Warnings returns the problems of the definition that do not stop it from
// working (a scorecard with more than 5 KPIs), sorted by path; when the
// definition was read from a file, each names its line.
func (p *Plan) Warnings() []*problem.Problem {
	if p.scoring == nil {
		return nil
	}
	var out []*problem.Problem
	for _, w := range p.scoring.Warnings() {
		c := *w
		c.Where = strings.TrimSuffix(p.def.where(c.Path), ": ")
		out = append(out, &c)
	}
	return out
}

// Scoring returns the plan's compiled scorecards, bonus schemes,
// leaderboards, badges and competitions; nil when it has none.
func (p *Plan) Scoring() *score.Scoring { return p.scoring }

// score evaluates the scorecard sections over the report's range: the
// report section's [from, to), or the span of the periods asked for. The
// departments are the groups of WithGroups and, with WithDirectory, the
// directory's units (their members at some time in the range).
func (p *Plan) score(ctx context.Context, tab *kpi.Table, c *evalConfig) (*score.Scores, error) {
	if p.scoring.Empty() {
		return nil, nil
	}
	req := c.req
	from, to := p.def.Report.From, p.def.Report.To
	if !slices.Equal(req.Periods, p.periods) && len(req.Periods) > 0 {
		from, to = req.Periods[0].Start, req.Periods[len(req.Periods)-1].End
	}
	if c.org != nil {
		units := c.org.Groups(from, to)
		req.Groups = slices.Clone(req.Groups)
		for _, g := range units {
			if !slices.ContainsFunc(req.Groups, func(h org.Group) bool { return h.ID == g.ID }) {
				req.Groups = append(req.Groups, g)
			}
		}
	}
	return p.scoring.Evaluate(ctx, tab, score.Request{Request: req, From: from, To: to})
}

// appendScores appends the scorecard keys of the JSON report.
func appendScores(b []byte, s *score.Scores) ([]byte, error) {
	if s == nil {
		return b, nil
	}
	for _, sec := range []struct {
		key string
		v   any
	}{{"scorecards", s.Scorecards}, {"bonuses", s.Bonuses}, {"leaderboards", s.Leaderboards}, {"badges", s.Badges}, {"competitions", s.Competitions}} {
		js, err := json.MarshalIndent(sec.v, "  ", "  ")
		if err != nil {
			return nil, err
		}
		b = append(b, ",\n  "...)
		b = strconv.AppendQuote(b, sec.key)
		b = append(b, ": "...)
		b = append(b, js...)
	}
	return b, nil
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

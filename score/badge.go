package score

import (
	"fmt"

	"github.com/goalkit/goalkit/internal/defcheck"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/shopspring/decimal"
)

// BadgeDef defines a badge as a rule over a scorecard's cards (the total,
// or one KPI's score) or a leaderboard:
//   - threshold: every period whose value is at least Min;
//   - streak: a run of Periods periods in a row at least Min, awarded once
//     per run, in the period the run reaches its length;
//   - first: the first period whose value is at least Min, once ever;
//   - top: every period the participant ranks Top or better on
//     Leaderboard (ties included).
//
// Every award carries an idempotency key (see Award): the same award always
// has the same key, whatever range of periods is evaluated, so a host that
// stores keys awards each badge once.
type BadgeDef struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Rule is threshold, streak, first or top.
	Rule      string `json:"rule"`
	Scorecard string `json:"scorecard,omitempty"`
	// KPI uses this KPI's score instead of the total.
	KPI string `json:"kpi,omitempty"`
	// Min is the value to reach, in percent (default 100).
	Min *decimal.Decimal `json:"min,omitempty"`
	// Periods is a streak's length (at least 2).
	Periods     int    `json:"periods,omitempty"`
	Leaderboard string `json:"leaderboard,omitempty"`
	Top         int    `json:"top,omitempty"`
}

// The badge rules.
const (
	RuleThreshold = "threshold"
	RuleStreak    = "streak"
	RuleFirst     = "first"
	RuleTop       = "top"
)

// Badge is a compiled BadgeDef.
type Badge struct {
	def BadgeDef
	sc  *Scorecard
	kpi *scoredKPI
	lb  *Leaderboard
	min decimal.Decimal
}

// ID returns the badge's id.
func (bd *Badge) ID() string {
	if bd == nil {
		return ""
	}
	return bd.def.ID
}

func compileBadge(def BadgeDef, path string, scorecards map[string]*Scorecard, boards map[string]*Leaderboard, ps *problem.List) *Badge {
	bd := &Badge{def: def, min: hundred}
	defcheck.ID(ps, path+".id", def.ID)
	if def.Min != nil {
		bd.min = *def.Min
	}
	switch def.Rule {
	case RuleThreshold, RuleStreak, RuleFirst:
		bd.sc = lookupScorecard(def.Scorecard, path+".scorecard", scorecards, ps)
		if def.KPI != "" && bd.sc != nil {
			bd.kpi = bd.sc.byID[def.KPI]
			if bd.kpi == nil {
				ps.Add(path+".kpi", problem.Unknown, unknownMsg("KPI of scorecard "+bd.sc.def.ID, def.KPI, bd.sc.KPIs()))
			}
		}
		if def.Rule == RuleStreak {
			if def.Periods < 2 {
				ps.Add(path+".periods", problem.Invalid, fmt.Sprintf("a streak is at least 2 periods, got %d", def.Periods))
			} else if def.Periods > 60 {
				ps.Add(path+".periods", problem.Invalid, fmt.Sprintf("a streak is at most 60 periods, got %d", def.Periods))
			}
		} else if def.Periods != 0 {
			ps.Add(path+".periods", problem.Conflict, "periods applies to a streak")
		}
		for _, f := range []struct {
			name string
			set  bool
		}{{"leaderboard", def.Leaderboard != ""}, {"top", def.Top != 0}} {
			if f.set {
				ps.Add(path+"."+f.name, problem.Conflict, f.name+" applies to rule top")
			}
		}
	case RuleTop:
		if def.Leaderboard == "" {
			ps.Add(path+".leaderboard", problem.Required, "leaderboard is required for rule top")
		} else if bd.lb = boards[def.Leaderboard]; bd.lb == nil {
			ps.Add(path+".leaderboard", problem.Unknown, unknownMsg("leaderboard", def.Leaderboard, sortedKeys(boards)))
		}
		if def.Top < 1 {
			ps.Add(path+".top", problem.Invalid, fmt.Sprintf("top must be at least 1, got %d", def.Top))
		}
		for _, f := range []struct {
			name string
			set  bool
		}{{"scorecard", def.Scorecard != ""}, {"kpi", def.KPI != ""}, {"min", def.Min != nil}, {"periods", def.Periods != 0}} {
			if f.set {
				ps.Add(path+"."+f.name, problem.Conflict, f.name+" does not apply to rule top (it reads the leaderboard)")
			}
		}
	case "":
		ps.Add(path+".rule", problem.Required, "rule is required (threshold, streak, first or top)")
	default:
		ps.Add(path+".rule", problem.Invalid, fmt.Sprintf("rule must be threshold, streak, first or top, got %q", def.Rule))
	}
	return bd
}

// lookback is how many periods before the first reported one the badge
// reads.
func (bd *Badge) lookback() int {
	if bd.def.Rule == RuleStreak {
		return bd.def.Periods
	}
	return 0
}

// Award is one badge earned by one participant.
type Award struct {
	Badge       string        `json:"badge"`
	Participant string        `json:"participant"`
	Period      period.Period `json:"-"`
	Label       string        `json:"period"`
	// Value is the value that earned it (the total or the KPI's score);
	// Rank, for rule top, the rank.
	Value decimal.NullDecimal `json:"value"`
	Rank  int                 `json:"rank,omitempty"`
	// Key identifies the award for idempotency: badge:participant:period
	// start (badge:participant for rule first, which is earned once ever).
	Key string `json:"key"`
}

// MarshalJSON writes the award with its period as period, period_start and
// period_end.
func (a Award) MarshalJSON() ([]byte, error) {
	type plain Award
	return periodJSON(plain(a), a.Period)
}

func (bd *Badge) value(c *Card) decimal.Decimal {
	if bd.kpi == nil {
		return c.Total
	}
	k, _ := c.KPI(bd.kpi.id)
	return k.Score
}

// awardCards evaluates a card rule over one participant's cards, one per
// period in order (the first lookback of them are history, not reported);
// in says in which of those periods they were a participant (nil: in all).
func (bd *Badge) awardCards(cards []Card, in []bool, lookback int) []Award {
	var out []Award
	run := 0
	for i := range cards {
		if in != nil && !in[i] {
			// Not a participant then (a member who joined later, or
			// left): no award, and a streak starts again after it.
			run = 0
			continue
		}
		c := &cards[i]
		v := bd.value(c)
		ok := !v.LessThan(bd.min)
		if ok {
			run++
		} else {
			run = 0
		}
		award := false
		key := fmt.Sprintf("%s:%s:%s", bd.def.ID, c.Participant, c.Period.Start)
		switch bd.def.Rule {
		case RuleThreshold:
			award = ok
		case RuleStreak:
			// The run reaches its length here: the period before the run
			// failed, or is before the evaluated history (which then reaches
			// back far enough to see it).
			award = run == bd.def.Periods && i >= bd.def.Periods
		case RuleFirst:
			if ok {
				if i >= lookback {
					out = append(out, Award{Badge: bd.def.ID, Participant: c.Participant, Period: c.Period, Label: c.Label,
						Value: decimal.NewNullDecimal(v), Key: fmt.Sprintf("%s:%s", bd.def.ID, c.Participant)})
				}
				return out
			}
		}
		if award && i >= lookback {
			out = append(out, Award{Badge: bd.def.ID, Participant: c.Participant, Period: c.Period, Label: c.Label, Value: decimal.NewNullDecimal(v), Key: key})
		}
	}
	return out
}

// awardBoard evaluates rule top over one period's board.
func (bd *Badge) awardBoard(b Board) []Award {
	var out []Award
	for _, s := range b.Standings {
		if s.Rank >= 1 && s.Rank <= bd.def.Top {
			out = append(out, Award{Badge: bd.def.ID, Participant: s.Participant, Period: b.Period, Label: b.Label, Value: s.Value, Rank: s.Rank,
				Key: fmt.Sprintf("%s:%s:%s", bd.def.ID, s.Participant, b.Period.Start)})
		}
	}
	return out
}

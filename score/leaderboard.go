package score

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/internal/defcheck"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/shopspring/decimal"
)

// LeaderboardDef defines a leaderboard over a scorecard, for each of its
// periods: people (the scorecard's participants) or departments (groups of
// the evaluation) ranked by the total score or by one KPI.
type LeaderboardDef struct {
	ID        string `json:"id"`
	Name      string `json:"name,omitempty"`
	Scorecard string `json:"scorecard"`
	// KPI ranks by this KPI of the scorecard instead of the total.
	KPI string `json:"kpi,omitempty"`
	// Metric, with KPI, is what of the KPI ranks: score (the default),
	// achievement, or actual (lowest first when lower is better).
	Metric string `json:"metric,omitempty"`
	// Level is people (the default) or departments.
	Level string `json:"level,omitempty"`
	// Departments are the groups ranked at the departments level; default
	// every group of the evaluation. Each must be a group of the evaluation:
	// Evaluate fails on one that is not.
	Departments []string `json:"departments,omitempty"`
	// Normalise says how departments of different sizes compare: headcount
	// (the default: the mean score of the members it had in the period, or
	// the department's actual per head) or achievement (the department scored like one person: its
	// actual per head against the target for per-member KPIs, its pooled
	// actual for the others).
	Normalise string `json:"normalise,omitempty"`
	// Top keeps the first Top ranks (ties included) and leaves out the
	// standings without a rank, also where fewer than Top are ranked (the
	// report's board says in Ranked how many had a rank); 0 keeps
	// everyone, the unranked listed last.
	Top int `json:"top,omitempty"`
}

// The leaderboard levels, metrics and normalisations.
const (
	LevelPeople      = "people"
	LevelDepartments = "departments"

	MetricScore       = "score"
	MetricAchievement = "achievement"
	MetricActual      = "actual"

	NormaliseHeadcount   = "headcount"
	NormaliseAchievement = "achievement"
)

// Leaderboard is a compiled LeaderboardDef.
type Leaderboard struct {
	def       LeaderboardDef
	sc        *Scorecard
	kpi       *scoredKPI
	metric    string
	level     string
	normalise string
}

// ID returns the leaderboard's id.
func (lb *Leaderboard) ID() string {
	if lb == nil {
		return ""
	}
	return lb.def.ID
}

func compileLeaderboard(def LeaderboardDef, path string, scorecards map[string]*Scorecard, ps *problem.List) *Leaderboard {
	lb := &Leaderboard{def: def, metric: def.Metric, level: def.Level, normalise: def.Normalise}
	defcheck.ID(ps, path+".id", def.ID)
	lb.sc = lookupScorecard(def.Scorecard, path+".scorecard", scorecards, ps)
	if def.KPI != "" && lb.sc != nil {
		lb.kpi = lb.sc.byID[def.KPI]
		if lb.kpi == nil {
			ps.Add(path+".kpi", problem.Unknown, unknownMsg("KPI of scorecard "+lb.sc.def.ID, def.KPI, lb.sc.KPIs()))
		}
	}
	lb.metric = cmp.Or(def.Metric, MetricScore)
	if defcheck.OneOf(ps, path+".metric", def.Metric, MetricScore, MetricAchievement, MetricActual) && def.KPI == "" && lb.metric != MetricScore {
		ps.Add(path+".metric", problem.Conflict, fmt.Sprintf("metric %s needs a kpi (the total is a score)", def.Metric))
	}
	lb.level = cmp.Or(def.Level, LevelPeople)
	defcheck.OneOf(ps, path+".level", def.Level, LevelPeople, LevelDepartments)
	if lb.level == LevelDepartments {
		lb.normalise = cmp.Or(def.Normalise, NormaliseHeadcount)
		defcheck.OneOf(ps, path+".normalise", def.Normalise, NormaliseHeadcount, NormaliseAchievement)
		for j, d := range def.Departments {
			groupID(ps, fmt.Sprintf("%s.departments[%d]", path, j), d)
		}
	} else {
		if def.Normalise != "" {
			ps.Add(path+".normalise", problem.Conflict, "normalise applies to departments")
		}
		if len(def.Departments) > 0 {
			ps.Add(path+".departments", problem.Conflict, "departments apply to level departments")
		}
	}
	if def.Top < 0 {
		ps.Add(path+".top", problem.Invalid, fmt.Sprintf("top must be at least 0, got %d", def.Top))
	}
	return lb
}

// Standing is one row of a leaderboard.
type Standing struct {
	// Rank is the competition rank (1, 1, 3: ties share a rank and the next
	// rank skips); 0 when the value is undefined (unranked, listed last).
	Rank        int                 `json:"rank"`
	Participant string              `json:"participant"`
	Value       decimal.NullDecimal `json:"value"`
	// Headcount is a department's number of members.
	Headcount int `json:"headcount,omitempty"`
	// Best ranks a standing without a value above every value: a
	// lower-is-better goal met at zero, whose achievement has no ratio.
	Best bool `json:"-"`
}

// Board is a leaderboard for one period.
type Board struct {
	Leaderboard string        `json:"leaderboard"`
	Period      period.Period `json:"-"`
	Label       string        `json:"period"`
	Standings   []Standing    `json:"standings"`
	// Ranked is, on a board whose leaderboard sets a top, the number of
	// standings that had a rank (Rank > 0) before the report cut the board
	// to its top; 0 (and no key in the JSON) on a board of a leaderboard
	// without a top, or with no standing ranked. The board was cut (Cut)
	// exactly when Ranked is more than the ranked standings it holds.
	Ranked int `json:"ranked,omitempty"`
}

// Cut reports whether the report cut b to its leaderboard's top, leaving
// out standings that had a rank: Ranked is more than the standings with a
// rank that b holds. A board of exactly its top's number of ranks, or of
// fewer, was not cut (its unranked standings left out are no ranks).
func (b Board) Cut() bool { return b.Ranked > b.Held() }

// Held is the number of b's standings that have a rank (those without a
// value, rank 0, listed last, are not counted).
func (b Board) Held() int {
	n := 0
	for _, s := range b.Standings {
		if s.Rank > 0 {
			n++
		}
	}
	return n
}

// The classes of standings Rank orders: met without a value first, then
// by value, then those without either.
const (
	classTop = iota
	classDefined
	classNone
)

func (s Standing) class() int {
	switch {
	case s.Value.Valid:
		return classDefined
	case s.Best:
		return classTop
	}
	return classNone
}

// Ranked reports whether Rank gives s a rank: it has a value or is Best.
func (s Standing) Ranked() bool { return s.class() != classNone }

// Compare orders a and b as Rank does, participants aside: negative when a
// ranks before b, zero when they tie, positive after.
func Compare(a, b Standing, lowerIsBetter bool) int {
	ca, cb := a.class(), b.class()
	if c := cmp.Compare(ca, cb); c != 0 || ca != classDefined {
		return c
	}
	c := decimalx.Cmp(b.Value.Decimal, a.Value.Decimal)
	if lowerIsBetter {
		c = -c
	}
	return c
}

// MarshalJSON writes the board with its period as period, period_start and
// period_end.
func (b Board) MarshalJSON() ([]byte, error) {
	type plain Board
	return periodJSON(plain(b), b.Period)
}

// Rank orders standings and gives them competition ranks: best value first
// (lowest first when lowerIsBetter), ties in participant order sharing a
// rank (1, 1, 3), undefined values last with rank 0. A standing marked Best
// without a value (a lower-is-better goal met at zero) ranks above every
// value. The order depends only on the values and participant ids, never
// on the input order. Leaderboards, competitions and goals all rank with it.
func Rank(ss []Standing, lowerIsBetter bool) []Standing {
	compare := func(a, b Standing) int { return Compare(a, b, lowerIsBetter) }
	out := slices.Clone(ss)
	slices.SortStableFunc(out, func(a, b Standing) int {
		if c := compare(a, b); c != 0 {
			return c
		}
		return strings.Compare(a.Participant, b.Participant)
	})
	for i := range out {
		switch {
		case !out[i].Ranked():
			out[i].Rank = 0
		case i > 0 && compare(out[i-1], out[i]) == 0:
			out[i].Rank = out[i-1].Rank
		default:
			out[i].Rank = i + 1
		}
	}
	return out
}

// lowerFirst reports whether the leaderboard ranks the lowest value first.
func (lb *Leaderboard) lowerFirst() bool {
	return lb.metric == MetricActual && lb.kpi != nil && lb.kpi.curve.dir.lower()
}

// cardValue is what a card ranks by.
func (lb *Leaderboard) cardValue(c *Card) decimal.NullDecimal {
	if lb.kpi == nil {
		return decimal.NewNullDecimal(c.Total)
	}
	k, _ := c.KPI(lb.kpi.id)
	switch lb.metric {
	case MetricAchievement:
		return k.Achievement
	case MetricActual:
		return k.Actual
	}
	return decimal.NewNullDecimal(k.Score)
}

// cardBest reports whether a card ranks above every value although it has
// none: ranked by achievement, a KPI met without a ratio (a lower-is-better
// KPI met at zero), as goals rank it.
func (lb *Leaderboard) cardBest(c *Card) bool {
	if lb.kpi == nil || lb.metric != MetricAchievement {
		return false
	}
	k, _ := c.KPI(lb.kpi.id)
	return Achieve(k.Direction, k.Actual, decimal.NewNullDecimal(k.Target)).Met
}

// top returns b as a report shows it under its leaderboard's top n: the
// standings ranked 1..n (ties included, the unranked left out), on a copy
// of b's, and Ranked, how many had a rank before. n <= 0 returns b whole.
func top(b Board, n int) Board {
	if n <= 0 {
		return b
	}
	kept := make([]Standing, 0, min(len(b.Standings), n))
	for _, s := range b.Standings {
		if s.Rank > 0 {
			b.Ranked++
			if s.Rank <= n {
				kept = append(kept, s)
			}
		}
	}
	b.Standings = kept
	return b
}

// people ranks the cards of one period (every standing: Top is applied
// when reporting).
func (lb *Leaderboard) people(cards []Card, p period.Period, label string) Board {
	ss := make([]Standing, len(cards))
	for i := range cards {
		ss[i] = Standing{Participant: cards[i].Participant, Value: lb.cardValue(&cards[i]), Best: lb.cardBest(&cards[i])}
	}
	return Board{Leaderboard: lb.def.ID, Period: p, Label: label, Standings: Rank(ss, lb.lowerFirst())}
}

// departments ranks groups for one period, each of the people who belonged
// to it in the period. card returns a member's card;
// team returns a group's card scored by achievement; pooled returns a KPI's
// actual for a group (its members' events together).
func (lb *Leaderboard) departments(groups []org.Group, p period.Period, label string, card func(member string) (Card, error),
	team func(g org.Group, headcount int) (Card, error), pooled func(g org.Group) decimal.NullDecimal) (Board, error) {
	ss := []Standing{} // a list, empty without groups, as a people board's
	for _, g := range groups {
		if len(lb.def.Departments) > 0 && !slices.Contains(lb.def.Departments, g.ID) {
			continue
		}
		// Its people in the period: one who joined later, or left before,
		// is not of its headcount nor of its mean.
		people := peopleIn(g, p)
		n := len(people)
		st := Standing{Participant: g.ID, Headcount: n}
		switch {
		case n == 0:
		case lb.normalise == NormaliseAchievement:
			c, err := team(g, n)
			if err != nil {
				return Board{}, err
			}
			st.Value, st.Best = lb.cardValue(&c), lb.cardBest(&c)
		case lb.metric == MetricActual:
			// Per head for what adds up over people (counts, sums, distinct
			// counts); a ratio or an average of the team is its pooled value,
			// Σnumerator / Σdenominator of the members' events.
			if v := pooled(g); v.Valid && lb.kpi.additive() {
				st.Value = perHead(v.Decimal, n)
			} else if v.Valid {
				st.Value = v
			}
		default:
			sum := decimal.Zero
			for _, m := range people {
				c, err := card(m)
				if err != nil {
					return Board{}, err
				}
				if v := lb.cardValue(&c); v.Valid {
					sum = sum.Add(v.Decimal)
				} else if lb.cardBest(&c) {
					// Met without a ratio: its target met, 100 %.
					sum = sum.Add(hundred)
				}
			}
			st.Value = perHead(sum, n)
		}
		ss = append(ss, st)
	}
	return Board{Leaderboard: lb.def.ID, Period: p, Label: label, Standings: Rank(ss, lb.lowerFirst())}, nil
}

// perHead is x / n: exact when it terminates, else 16 significant digits.
func perHead(x decimal.Decimal, n int) decimal.NullDecimal {
	q, ok := decimalx.Div(x, decimal.NewFromInt(int64(n)))
	if !ok {
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(q)
}

func uniq(ss []string) []string {
	out := slices.Clone(ss)
	slices.Sort(out)
	return slices.Compact(out)
}

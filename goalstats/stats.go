package goalstats

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/stats"
	"github.com/goalkit/goalkit/internal/suggest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// Def declares the goal statistics of a report: how well the goals work
// (the plan's key goal_stats). An empty one asks for the counts, shares,
// times to achievement and trends of the goals; BusinessResult adds the
// correlation of each KPI with it.
type Def struct {
	// BusinessResult is the indicator the business judges itself by
	// (revenue, say): each KPI is correlated with it. Empty: no
	// correlations.
	BusinessResult string `json:"business_result,omitempty"`
	// Indicators are the KPIs correlated with the business result; default
	// every other indicator of the plan, in definition order.
	Indicators []string `json:"indicators,omitempty"`
}

// Check checks a Def against the plan's indicators; problems are reported
// under path (the plan's "goal_stats").
func Check(def Def, indicators []kpi.IndicatorDef, path string) error {
	var ps problem.List
	var ids []string
	for _, d := range indicators {
		ids = append(ids, d.ID)
	}
	known := func(key, id string) bool {
		if slices.Contains(ids, id) {
			return true
		}
		ps.Add(key, problem.Unknown, suggest.Unknown("indicator", id, ids))
		return false
	}
	if def.BusinessResult != "" {
		known(path+".business_result", def.BusinessResult)
	} else if len(def.Indicators) > 0 {
		ps.Add(path+".business_result", problem.Required, "indicators are correlated with a business result: name it (business_result: revenue)")
	}
	for i, id := range def.Indicators {
		key := fmt.Sprintf("%s.indicators[%d]", path, i)
		switch {
		case !known(key, id):
		case id == def.BusinessResult:
			ps.Add(key, problem.Invalid, fmt.Sprintf("%q is the business result itself", id))
		case slices.Contains(def.Indicators[:i], id):
			ps.Add(key, problem.Duplicate, fmt.Sprintf("%q is listed twice", id))
		}
	}
	return ps.Err()
}

// The types of goals a Tally of Result.ByType counts.
const (
	Quantitative = "quantitative" // a target on an indicator
	Qualitative  = "qualitative"  // a checklist
)

// Result is how well the goals of a report work: how many of their
// instances were achieved, failed or are still open, overall and by goal,
// type, team and period; how long achieving took; how the share achieved
// moves from period to period; and how each KPI moves with the business
// result.
type Result struct {
	Total Tally
	// ByGoal has a tally per goal, in definition order.
	ByGoal []Tally
	// ByType has a tally per type (Quantitative, Qualitative).
	ByType []Tally
	// ByKind has a tally per kind of participant: individual goals
	// (goal.User), group goals (goal.Team) and the company's (goal.Company).
	ByKind []Tally
	// ByTeam has a tally per unit of the organisation, in the directory's
	// order: the instances of the unit's own goals and of the units below
	// it, and of the users who belonged to it or a unit below it at some
	// time in the instance's period. A row may count for several units,
	// so these tallies overlap; the company's rows count for none.
	ByTeam []Tally
	// ByPeriod has a tally per period of the instances, ordered by start
	// and end, each with the change of the share achieved since the period
	// before.
	ByPeriod []Tally
	// Correlations has one entry per KPI when a business result is
	// declared.
	Correlations []Correlation
}

// Tally counts goal instances: one instance is one goal × participant ×
// period row of the report; draft goals are left out.
type Tally struct {
	// What is counted: the goal (ByGoal, with its Name), the Type (ByType),
	// the participants' Kind (ByKind),
	// the Team (ByTeam) or the Period (ByPeriod, with its Label); none for
	// the total.
	Goal, Name string
	Type       string
	Kind       goal.ParticipantKind
	Team       string
	Period     period.Period
	Label      string

	Instances int
	// Achieved and Failed count the instances with that status; Open the
	// others (running or not started).
	Achieved, Failed, Open int
	// The shares of Instances, undefined when there is none: 1 split by the
	// largest remainder at 16 decimal places (score.Split), so they are
	// exact when they terminate there and add up to exactly 1.
	AchievedShare, FailedShare, OpenShare decimal.NullDecimal
	// AchievedShareChange (ByPeriod) is AchievedShare minus that of the
	// period of the same grain that ends where this one starts; undefined
	// when there is none.
	AchievedShareChange decimal.NullDecimal
	// AchievementMedian is the median of the instances' uncapped
	// achievements (actual against target), of those that have one, an
	// instance met without one (a lower-is-better goal met at zero)
	// counting 1: how much of the plan is fulfilled.
	AchievementMedian decimal.NullDecimal
	// TimeToAchievement is the time from the instances' start to the
	// instant each was achieved (goal.Row.AchievedAt).
	TimeToAchievement Durations
}

// Durations summarises times in seconds, exact to the nanosecond; the
// median and the 90th percentile interpolate as PostgreSQL's
// percentile_cont. All are undefined when Instances is 0.
type Durations struct {
	// Instances is how many achieved instances the figures rest on: those
	// with an instant of achievement (goal.Row.AchievedAt).
	Instances             int
	Min, Median, P90, Max decimal.NullDecimal
}

// Correlation is Pearson's correlation of an indicator with the business
// result, over the values of the report's users (not teams, not the
// company's "*") in the report's periods: one point per user and period
// where both are defined.
type Correlation struct {
	Indicator      string
	BusinessResult string
	// Points is how many points R rests on.
	Points int
	// R is in [−1, 1], exact when it terminates within 16 significant
	// digits and rounded to them otherwise; undefined with fewer than 3
	// points or when either has the same value at every point, and
	// Undefined says why.
	R         decimal.NullDecimal
	Undefined string
}

// tallier accumulates one Tally.
type tallier struct {
	t     Tally
	achs  []decimal.Decimal
	times []decimal.Decimal
}

func (a *tallier) add(r *goal.Row, cal *period.Calendar) {
	a.t.Instances++
	switch r.Status {
	case goal.Achieved:
		a.t.Achieved++
	case goal.Failed:
		a.t.Failed++
	default:
		a.t.Open++
	}
	if c := r.Achievement.Counted(); c.Valid {
		a.achs = append(a.achs, c.Decimal)
	}
	if !r.AchievedAt.IsZero() {
		start, _ := cal.Bounds(r.Period)
		a.times = append(a.times, seconds(start, r.AchievedAt))
	}
}

// seconds is the time from start to at in seconds, exact to the
// nanosecond at any span (a time.Duration holds about 292 years: a goal of
// a longer period achieved late read as 292 years).
func seconds(start, at time.Time) decimal.Decimal {
	return decimal.New(at.Unix()-start.Unix(), 0).Add(decimal.New(int64(at.Nanosecond()-start.Nanosecond()), -9))
}

var (
	half   = decimal.RequireFromString("0.5")
	ninety = decimal.RequireFromString("0.9")
)

func (a *tallier) finish() Tally {
	t := a.t
	if t.Instances > 0 {
		shares, err := score.Split(decimal.NewFromInt(1), []decimal.Decimal{
			decimal.NewFromInt(int64(t.Achieved)), decimal.NewFromInt(int64(t.Failed)), decimal.NewFromInt(int64(t.Open))}, 16)
		if err == nil {
			t.AchievedShare, t.FailedShare, t.OpenShare = decimal.NewNullDecimal(shares[0]), decimal.NewNullDecimal(shares[1]), decimal.NewNullDecimal(shares[2])
		}
	}
	if len(a.achs) > 0 {
		slices.SortFunc(a.achs, decimal.Decimal.Cmp)
		t.AchievementMedian = decimal.NewNullDecimal(stats.PercentileCont(a.achs, half))
	}
	if n := len(a.times); n > 0 {
		slices.SortFunc(a.times, decimal.Decimal.Cmp)
		t.TimeToAchievement = Durations{Instances: n,
			Min: decimal.NewNullDecimal(a.times[0]), Max: decimal.NewNullDecimal(a.times[n-1]),
			Median: decimal.NewNullDecimal(stats.PercentileCont(a.times, half)),
			P90:    decimal.NewNullDecimal(stats.PercentileCont(a.times, ninety))}
	}
	return t
}

// Summarize computes the goal statistics of rows of the goals of set (a
// goal.Result's rows, or those a viewer may see) without correlations: o
// gives the teams of ByTeam (nil: no team tallies). Times to achievement
// need the rows' AchievedAt (goal.Request.AchievedAt).
func Summarize(set *goal.Set, rows []*goal.Row, o *org.Org) *Result {
	cal := set.Calendar()
	order := map[string]int{}
	for i, g := range set.Goals() {
		order[g.ID()] = i
	}
	total := &tallier{}
	var goals, types, kinds, periods []*tallier
	find := func(list *[]*tallier, match func(*Tally) bool, newTally func() Tally) *tallier {
		for _, a := range *list {
			if match(&a.t) {
				return a
			}
		}
		a := &tallier{t: newTally()}
		*list = append(*list, a)
		return a
	}
	var units []string
	if o != nil {
		for _, u := range o.Units() {
			if !slices.Contains(units, u.ID) {
				units = append(units, u.ID)
			}
		}
	}
	teams := map[string]*tallier{}
	unitsOf := rowUnits(o, units)
	for _, r := range rows {
		if r.State == goal.StateDraft {
			continue
		}
		total.add(r, cal)
		find(&goals, func(t *Tally) bool { return t.Goal == r.Goal }, func() Tally { return Tally{Goal: r.Goal, Name: r.Name} }).add(r, cal)
		typ := Quantitative
		if len(r.Items) > 0 {
			typ = Qualitative
		}
		find(&types, func(t *Tally) bool { return t.Type == typ }, func() Tally { return Tally{Type: typ} }).add(r, cal)
		find(&kinds, func(t *Tally) bool { return t.Kind == r.Kind }, func() Tally { return Tally{Kind: r.Kind} }).add(r, cal)
		find(&periods, func(t *Tally) bool { return t.Period == r.Period }, func() Tally { return Tally{Period: r.Period, Label: r.Label} }).add(r, cal)
		for _, u := range unitsOf(r) {
			a := teams[u]
			if a == nil {
				a = &tallier{t: Tally{Team: u}}
				teams[u] = a
			}
			a.add(r, cal)
		}
	}
	st := &Result{Total: total.finish()}
	for _, a := range goals {
		st.ByGoal = append(st.ByGoal, a.finish())
	}
	// In definition order; a goal the set does not know last.
	rank := func(id string) int {
		if i, ok := order[id]; ok {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(st.ByGoal, func(a, b Tally) int { return cmp.Compare(rank(a.Goal), rank(b.Goal)) })
	for _, k := range []goal.ParticipantKind{goal.User, goal.Team, goal.Company} {
		for _, a := range kinds {
			if a.t.Kind == k {
				st.ByKind = append(st.ByKind, a.finish())
			}
		}
	}
	for _, typ := range []string{Quantitative, Qualitative} {
		for _, a := range types {
			if a.t.Type == typ {
				st.ByType = append(st.ByType, a.finish())
			}
		}
	}
	for _, u := range units {
		if a := teams[u]; a != nil {
			st.ByTeam = append(st.ByTeam, a.finish())
		}
	}
	for _, a := range periods {
		st.ByPeriod = append(st.ByPeriod, a.finish())
	}
	slices.SortStableFunc(st.ByPeriod, func(a, b Tally) int {
		return cmp.Or(cmp.Compare(a.Period.Start, b.Period.Start), cmp.Compare(a.Period.End, b.Period.End), cmp.Compare(a.Period.Grain.String(), b.Period.Grain.String()))
	})
	for i := range st.ByPeriod {
		t := &st.ByPeriod[i]
		for _, q := range st.ByPeriod {
			if q.Period.End == t.Period.Start && q.Period.Grain == t.Period.Grain && q.AchievedShare.Valid && t.AchievedShare.Valid {
				t.AchievedShareChange = decimal.NewNullDecimal(t.AchievedShare.Decimal.Sub(q.AchievedShare.Decimal))
			}
		}
	}
	return st
}

// rowUnits returns a function that lists the units of units, in their
// order, that a row counts for: for a team row its unit and the units above
// it, for a user row those the user belonged to (or to a unit below them)
// at some time in the row's period; none for the company's rows. Each unit's members are read once
// per period and each team's units once, so that a report of many rows
// and units does not read the organisation for every row and unit.
func rowUnits(o *org.Org, units []string) func(r *goal.Row) []string {
	byTeam := map[string][]string{}
	byPeriod := map[period.Period]map[string][]string{}
	return func(r *goal.Row) []string {
		switch r.Kind {
		case goal.Team:
			us, ok := byTeam[r.Participant]
			if !ok {
				for _, u := range units {
					if o.Below(r.Participant, u) {
						us = append(us, u)
					}
				}
				byTeam[r.Participant] = us
			}
			return us
		case goal.User:
			users, ok := byPeriod[r.Period]
			if !ok {
				users = map[string][]string{}
				for _, u := range units {
					for _, m := range o.Members(u, r.Period) {
						users[m] = append(users[m], u)
					}
				}
				byPeriod[r.Period] = users
			}
			return users[r.Participant]
		}
		return nil
	}
}

// Correlate correlates each KPI of def (its Indicators, or every indicator
// of values but the business result) with def's business result over the
// values of users (not groups, not "*") in every period of values:
// Pearson's r over the points where both are defined. Without a business
// result it returns nil. A KPI or business result values do not hold is
// undefined, its Undefined naming it.
func Correlate(values *kpi.Result, def Def) []Correlation {
	businessResult := def.BusinessResult
	if businessResult == "" || values == nil {
		return nil
	}
	indicators := def.Indicators
	if len(indicators) == 0 {
		for _, id := range values.Set().IDs() {
			if id != businessResult {
				indicators = append(indicators, id)
			}
		}
	}
	// An id values do not hold (Check refuses it in a plan; a host may call
	// Correlate with any Def) has no points for that reason, not for "fewer
	// than 3 points".
	unknown := func(id string) string {
		if _, ok := values.Set().Lookup(id); ok {
			return ""
		}
		return fmt.Sprintf("unknown indicator %q", id)
	}
	out := []Correlation{}
	for _, id := range indicators {
		c := Correlation{Indicator: id, BusinessResult: businessResult}
		if c.Undefined = cmp.Or(unknown(businessResult), unknown(id)); c.Undefined != "" {
			out = append(out, c)
			continue
		}
		var xs, ys []decimal.Decimal
		for _, part := range values.Participants() {
			if values.IsGroup(part) {
				continue
			}
			for _, p := range values.Periods() {
				x, _ := values.Value(id, part, p)
				y, _ := values.Value(businessResult, part, p)
				if x.Valid && y.Valid {
					xs, ys = append(xs, x.Decimal), append(ys, y.Decimal)
				}
			}
		}
		c.Points = len(xs)
		if r, err := stats.Pearson(xs, ys); err != nil {
			c.Undefined = undefinedReason(err, id, businessResult)
		} else {
			c.R = decimal.NewNullDecimal(r)
		}
		out = append(out, c)
	}
	return out
}

func undefinedReason(err error, indicator, businessResult string) string {
	switch err {
	case stats.ErrConstantX:
		return fmt.Sprintf("%s has the same value at every point", indicator)
	case stats.ErrConstantY:
		return fmt.Sprintf("%s has the same value at every point", businessResult)
	}
	return err.Error()
}

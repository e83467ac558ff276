package dashboard

import (
	"strconv"
	"strings"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalstats"
	"github.com/shopspring/decimal"
)

// statsPage is the goal statistics of the viewer's report: how many goal
// instances were achieved, failed or are open, overall and by goal, type,
// kind of participant, team and period, how long achieving took, and how
// the KPIs move with the business result.
type statsPage struct {
	Total        tallyView
	Groups       []tallyGroup
	Correlations []correlationView
	// BusinessResult heads the correlations: "Correlations with Revenue".
	BusinessResult string
}

// tallyGroup is one list of tallies: by goal, by type, …
type tallyGroup struct {
	Key, Title string
	// Trend says the rows have the change of the share achieved (by period).
	Trend bool
	Rows  []tallyView
}

// tallyView is a tally as shown: counts, shares in percent, the median
// achievement, the median and 90th percentile of the time to achievement
// in days and, by period, the change of the share achieved.
type tallyView struct {
	Label                                         string
	Instances, Achieved, Failed, Open             string
	AchievedShare, FailedShare, OpenShare, Median string
	TimeMedian, TimeP90, TimeInstances            string
	Change, ChangeClass                           string
}

type correlationView struct {
	Indicator, R, Points, Undefined string
}

func (h *handler) stats(q *request) (string, string, any, error) {
	rep, err := q.report()
	if err != nil {
		return "", "", nil, err
	}
	st := rep.GoalStats
	if st == nil {
		return "stats.html", "nav.stats", nil, nil
	}
	plan := q.h.data.Plan()
	page := &statsPage{Total: q.tally(st.Total, q.l.T("overall"))}
	add := func(key string, ts []goalstats.Tally, label func(goalstats.Tally) string) {
		if len(ts) == 0 {
			return
		}
		g := tallyGroup{Key: key, Title: q.l.T(key), Trend: key == "byperiod"}
		for _, t := range ts {
			g.Rows = append(g.Rows, q.tally(t, label(t)))
		}
		page.Groups = append(page.Groups, g)
	}
	add("bygoal", st.ByGoal, func(t goalstats.Tally) string { return nameOr(t.Name, t.Goal) })
	add("bytype", st.ByType, func(t goalstats.Tally) string { return q.l.T("type." + t.Type) })
	add("bykind", st.ByKind, func(t goalstats.Tally) string { return q.l.T("kind." + string(t.Kind)) })
	add("byteam", st.ByTeam, func(t goalstats.Tally) string { return q.participantText(goal.Team, t.Team) })
	add("byperiod", st.ByPeriod, func(t goalstats.Tally) string { return t.Label })
	if br := q.defs().businessResult; br != "" {
		name := br
		if ix, ok := plan.Indicators().Lookup(name); ok {
			name = nameOr(ix.Def.Name, name)
		}
		page.BusinessResult = strings.ReplaceAll(q.l.T("correlations"), "{b}", name)
	}
	for _, c := range st.Correlations {
		name := c.Indicator
		if ix, ok := plan.Indicators().Lookup(c.Indicator); ok {
			name = nameOr(ix.Def.Name, c.Indicator)
		}
		page.Correlations = append(page.Correlations, correlationView{
			Indicator: name, R: plainFormat.text(q.l, c.R), Points: q.l.number(strconv.Itoa(c.Points)), Undefined: c.Undefined,
		})
	}
	return "stats.html", "nav.stats", page, nil
}

// secondsPerDay turns the tallies' seconds into days.
var secondsPerDay = decimal.NewFromInt(86400)

func (q *request) tally(t goalstats.Tally, label string) tallyView {
	l := q.l
	days := func(v decimal.NullDecimal) string {
		if !v.Valid {
			return "—"
		}
		return l.number(v.Decimal.DivRound(secondsPerDay, 1).StringFixed(1)) + nbsp + l.T("daysunit")
	}
	v := tallyView{
		Label:     label,
		Instances: l.number(strconv.Itoa(t.Instances)), Achieved: l.number(strconv.Itoa(t.Achieved)),
		Failed: l.number(strconv.Itoa(t.Failed)), Open: l.number(strconv.Itoa(t.Open)),
		AchievedShare: percentOf(l, t.AchievedShare), FailedShare: percentOf(l, t.FailedShare), OpenShare: percentOf(l, t.OpenShare),
		Median:     percentOf(l, t.AchievementMedian),
		TimeMedian: days(t.TimeToAchievement.Median), TimeP90: days(t.TimeToAchievement.P90),
		TimeInstances: l.number(strconv.Itoa(t.TimeToAchievement.Instances)),
		Change:        pointsOf(l, t.AchievedShareChange), ChangeClass: deltaClass(false, t.AchievedShareChange),
	}
	return v
}

// pointsOf writes a change of a share in percentage points with its sign
// and one decimal place: +12.5 pp.
func pointsOf(l *locale, v decimal.NullDecimal) string {
	if !v.Valid {
		return "—"
	}
	r := v.Decimal.Shift(2).Round(1)
	s := l.number(r.Abs().StringFixed(1)) + nbsp + l.T("pp")
	switch r.Sign() {
	case 1:
		return "+" + s
	case -1:
		return "−" + s
	}
	return s
}

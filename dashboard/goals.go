package dashboard

import (
	"encoding/json"
	"net/url"
	"strconv"

	"github.com/goalkit/goalkit/internal/isodate"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// A card is one goal row as the goal cards show it: every number
// already written in the viewer's language, rounded as the engine's table
// writer rounds it.
type card struct {
	L                                             *locale
	Goal, Name                                    string
	Participant                                   string // as shown: the id, or "Company" for "*"
	ParticipantID                                 string
	Kind                                          string
	Period                                        string
	Status, StatusText                            string
	Percent                                       string // uncapped achievement, one decimal place
	Bar, Pace                                     string // widths in [0, 100] of the progress bar and the expected-by-now mark
	HasPace                                       bool
	Actual, Target, Remaining, Expected, Forecast string
	TimeLeft                                      string
	// Chance is the probability of reaching the target ("62 % likely to
	// reach 1 500 000 ₽") and Range the P10–P90 range of the final value,
	// for a row with a probabilistic forecast; "" otherwise.
	Chance, Range                  string
	DeltaPrev, DeltaYear           string
	DeltaPrevClass, DeltaYearClass string
	Rank                           int
	ExplainURL                     string
	DetailURL                      string
	// Milestones are those reached; Items the checklist of a qualitative
	// goal.
	Milestones []string
	Items      []itemView
}

// itemView is one item of a checklist.
type itemView struct {
	Name string
	Done bool
}

// goalSection is one goal with the cards of its current instance.
type goalSection struct {
	ID, Name, Period string
	Cards            []card
}

// goalsOf returns the sections of the goals page: for every goal, the
// rows of the instance that holds the as-of date (else the latest one that
// started, else the first), for the participants kinds keep.
func (q *request) goalSections(keep func(goal.Row) bool) ([]goalSection, error) {
	return q.goalSectionsOf(keep, period.Period{})
}

// goalSectionsOf is goalSections with the instance of period want, for
// each goal that has one (want zero: none).
func (q *request) goalSectionsOf(keep func(goal.Row) bool, want period.Period) ([]goalSection, error) {
	rep, err := q.report()
	if err != nil {
		return nil, err
	}
	if rep.Goals == nil {
		return nil, nil
	}
	var out []goalSection
	rows := rep.Goals.Rows
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && rows[j].Goal == rows[i].Goal {
			j++
		}
		inst := q.currentInstance(rows[i:j])
		for _, row := range rows[i:j] {
			if want != (period.Period{}) && row.Period == want {
				inst = want
				break
			}
		}
		sec := goalSection{ID: rows[i].Goal, Name: nameOr(rows[i].Name, rows[i].Goal)}
		for _, row := range rows[i:j] {
			if row.Period != inst || !keep(*row) {
				continue
			}
			sec.Period = row.Label
			sec.Cards = append(sec.Cards, q.card(*row))
		}
		if len(sec.Cards) > 0 {
			out = append(out, sec)
		}
		i = j
	}
	return out, nil
}

// currentInstance is the period of the rows of one goal that holds the
// as-of date, else the latest that started, else the first.
func (q *request) currentInstance(rows []*goal.Row) period.Period {
	ps := make([]period.Period, len(rows))
	for i, r := range rows {
		ps[i] = r.Period
	}
	return q.currentPeriod(ps)
}

func nameOr(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

// goalFormat is the format of a goal's numbers: its indicator's.
func (q *request) goalFormat(id string) (format, string) {
	plan := q.h.data.Plan()
	if gs := plan.Goals(); gs != nil {
		if g, ok := gs.Lookup(id); ok {
			def := g.Def()
			if def.Indicator == "" {
				return plainFormat, ""
			}
			ix, _ := plan.Indicators().Lookup(def.Indicator)
			if def.Filter != "" {
				// The goal's value is its indicator narrowed by the
				// filter: the indicator's cell would explain another
				// number.
				return formatOf(ix), ""
			}
			return formatOf(ix), def.Indicator
		}
	}
	return plainFormat, ""
}

func (q *request) card(row goal.Row) card {
	f, indicator := q.goalFormat(row.Goal)
	l := q.l
	c := card{
		L:    l,
		Goal: row.Goal, Name: nameOr(row.Name, row.Goal), Participant: q.participantText(row.Kind, row.Participant),
		ParticipantID: row.Participant, Kind: string(row.Kind), Period: row.Label,
		Status: string(row.Status), StatusText: l.T("status." + string(row.Status)),
		Percent: percentOf(l, row.Achievement.Uncapped), Bar: barWidth(row.Achievement.Capped),
		Actual: f.text(l, row.Actual), Target: f.text(l, row.Target), Remaining: f.text(l, row.Remaining),
		Expected: f.text(l, row.Expected), Forecast: f.text(l, row.Forecast),
		DeltaPrev: f.signed(l, row.DeltaPrevious), DeltaYear: f.signed(l, row.DeltaYearAgo),
		DeltaPrevClass: deltaClass(row.Direction == score.LowerIsBetter, row.DeltaPrevious),
		DeltaYearClass: deltaClass(row.Direction == score.LowerIsBetter, row.DeltaYearAgo),
		Rank:           row.Rank,
	}
	if row.Expected.Valid && row.Target.Valid && row.Target.Decimal.Sign() > 0 && row.Measure == goal.Cumulative {
		c.HasPace = true
		c.Pace = barWidth(decimal.NewNullDecimal(row.Expected.Decimal.DivRound(row.Target.Decimal, 16)))
	}
	c.Chance, c.Range = q.chanceText(f, row), rangeText(l, f, row)
	c.Milestones = row.Milestones
	for _, it := range row.Items {
		c.Items = append(c.Items, itemView{Name: nameOr(it.Name, it.ID), Done: it.Done})
	}
	switch {
	case row.Ended:
		c.TimeLeft = l.T("ended")
	case !row.Started:
		c.TimeLeft = l.T("notstarted")
	default:
		c.TimeLeft = l.days(row.DaysLeft)
	}
	if indicator != "" && !(row.Kind == goal.Team && q.shadowed(row.Participant)) {
		c.ExplainURL = q.explainLink(indicator, row.Participant, row.Period)
	}
	c.DetailURL = q.link("goal", url.Values{"goal": {row.Goal}, "participant": {row.Participant}, "from": {row.Period.Start.String()}})
	return c
}

// deltaClass colours a change: good when it goes the goal's way.
func deltaClass(lowerIsBetter bool, d decimal.NullDecimal) string {
	if !d.Valid || d.Decimal.IsZero() {
		return "flat"
	}
	if (d.Decimal.Sign() > 0) != lowerIsBetter {
		return "good"
	}
	return "bad"
}

// shadowed reports whether the report's values say that the unit
// participant has no row, its id being an actor's, whose row it is
// (Bitrix24's department 1 and user 1): the explanation of that cell is
// the actor's, and a team's number is not linked to it.
func (q *request) shadowed(participant string) bool {
	if q.rep == nil || q.rep.Values == nil {
		return false
	}
	for _, w := range q.rep.Values.Warnings {
		if w.Indicator == "" && w.Period == "" && w.Participant == participant {
			return true
		}
	}
	return false
}

// explainLink is the address of the explanation of one cell.
func (q *request) explainLink(indicator, participant string, p period.Period) string {
	g, _ := p.Grain.MarshalText()
	return q.link("explain", url.Values{
		"indicator": {indicator}, "participant": {participant},
		"grain": {string(g)}, "from": {p.Start.String()}, "to": {p.End.String()},
	})
}

func (h *handler) goals(q *request) (string, string, any, error) {
	secs, err := q.goalSections(func(goal.Row) bool { return true })
	return "goals.html", "nav.goals", secs, err
}

// detail is one participant's goal: the current card, its daily
// dynamics and every instance in the report.
type detail struct {
	Card    card
	Chart   *chart
	History []card
}

// chart is the daily series of a goal row for the chart, as JSON arrays
// in data attributes: the x values are the local midnights (Unix
// seconds), the y values the engine's numbers rounded for reading, as
// plain decimals for drawing and as text for the legend.
type chart struct {
	Zone                   string
	X, XText, Actual, Plan string
	ActualText, PlanText   string
	ActualLabel, PlanLabel string
	DayLabel               string
	// P10, P50 and P90 are, for a row with a probabilistic forecast of a
	// running period, the quantiles of the final value at the period's
	// last day (null at every other day), as Actual is written; "" without.
	P10, P50, P90                string
	P10Text, P50Text, P90Text    string
	P10Label, P50Label, P90Label string
	// Days are the series again, a day a row, as text: what the chart
	// draws, for reading without a pointer (a keyboard, a screen reader).
	Days []chartDay
}

// chartDay is a day of the series as the table under a chart writes it.
type chartDay struct{ Day, Plan, Actual string }

func (h *handler) goalDetail(q *request) (string, string, any, error) {
	params := q.r.URL.Query()
	id, participant := params.Get("goal"), params.Get("participant")
	rep, err := q.report()
	if err != nil {
		return "", "", nil, err
	}
	if rep.Goals == nil {
		return "", "", nil, errNotFound
	}
	var rows []*goal.Row
	for _, r := range rep.Goals.Rows {
		if r.Goal == id && r.Participant == participant {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return "", "", nil, errNotFound
	}
	current := q.currentInstance(rows)
	if params.Has("from") {
		// A start that is no instance's is refused, naming it: the page
		// showed the current instance under the address of another.
		from := params.Get("from")
		found := false
		for _, r := range rows {
			if r.Period.Start.String() == from {
				current, found = r.Period, true
			}
		}
		if !found {
			_, err := isodate.Parse(from)
			return "", "", nil, &periodError{param: "from", label: from, malformed: err != nil, unknown: "goal.nofrom", bad: "date.malformed"}
		}
	}
	var d detail
	for _, r := range rows {
		c := q.card(*r)
		d.History = append(d.History, c)
		if r.Period == current {
			d.Card = c
			row, err := q.withSeries(*r)
			if err != nil {
				return "", "", nil, err
			}
			d.Chart = q.chart(row)
		}
	}
	return "goal.html", "nav.goals", d, nil
}

func (q *request) chart(row goal.Row) *chart {
	if len(row.Series) == 0 {
		return nil
	}
	f, _ := q.goalFormat(row.Goal)
	cal := q.h.data.Plan().Calendar()
	plain := func(v decimal.NullDecimal) *string {
		if !v.Valid {
			return nil
		}
		s := f.round(v.Decimal).String()
		return &s
	}
	n := len(row.Series)
	x := make([]int64, n)
	actual, plan := make([]*string, n), make([]*string, n)
	actualText, planText, days := make([]string, n), make([]string, n), make([]string, n)
	for i, p := range row.Series {
		x[i] = cal.Midnight(p.Date).Unix()
		days[i] = q.l.date(cal.Midnight(p.Date))
		actual[i], plan[i] = plain(p.Actual), plain(p.Plan)
		actualText[i], planText[i] = f.text(q.l, p.Actual), f.text(q.l, p.Plan)
	}
	c := &chart{
		Zone: cal.Location().String(), ActualLabel: q.l.T("actual"), PlanLabel: q.l.T("plan"), DayLabel: q.l.T("day"),
	}
	for i := range n {
		c.Days = append(c.Days, chartDay{Day: days[i], Plan: planText[i], Actual: actualText[i]})
	}
	ch := row.Chance
	if last := row.Period.End - 1; !row.Ended && ch.P10.Valid && ch.P50.Valid && ch.P90.Valid && last >= row.Series[n-1].Date {
		// The final value's range, at the period's last day: a point of its
		// own after the series when the series stops before it.
		if last > row.Series[n-1].Date {
			x = append(x, cal.Midnight(last).Unix())
			days = append(days, q.l.date(cal.Midnight(last)))
			actual, plan = append(actual, nil), append(plan, nil)
			actualText, planText = append(actualText, "—"), append(planText, "—")
			n++
		}
		quantile := func(v decimal.NullDecimal) (string, string) {
			vals, texts := make([]*string, n), make([]string, n)
			for i := range texts {
				texts[i] = "—"
			}
			vals[n-1], texts[n-1] = plain(v), f.text(q.l, v)
			return jsonText(vals), jsonText(texts)
		}
		c.P10, c.P10Text = quantile(ch.P10)
		c.P50, c.P50Text = quantile(ch.P50)
		c.P90, c.P90Text = quantile(ch.P90)
		c.P10Label, c.P50Label, c.P90Label = q.l.T("p10"), q.l.T("p50"), q.l.T("p90")
	}
	c.X, c.XText, c.Actual, c.Plan = jsonText(x), jsonText(days), jsonText(actual), jsonText(plan)
	c.ActualText, c.PlanText = jsonText(actualText), jsonText(planText)
	return c
}

// jsonText is v as JSON, for a data attribute (html/template escapes it
// as an attribute value).
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return string(b)
}

// rankText writes a rank in l's digits (1,024 and 1 024), "—" for
// unranked.
func rankText(l *locale, n int) string {
	if n <= 0 {
		return "—"
	}
	return l.number(strconv.Itoa(n))
}

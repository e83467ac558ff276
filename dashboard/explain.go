package dashboard

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/isodate"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// maxEvents is how many events of each list an explanation page shows; the
// rest are counted.
const maxEvents = 200

// errUnexplained makes the explanation page answer 404 with a body that
// says only that the number cannot be explained, whatever the reason
// (a participant the viewer may not see, a cell that does not exist).
var errUnexplained = errors.New("unexplained")

// explanationView is an explanation as the page shows it.
type explanationView struct {
	Indicator, Participant, Period, Value string
	// By, for a breakdown row, is its attributes' values: "source = web".
	By string
	// Prev, for an input a formula reads with prev(), is how the formula
	// reads it ("prev(revenue)", "prev(revenue, 2)") and Back how far back
	// its period is, in words: the Period shown is the earlier one.
	Prev, Back string
	// From, for a cumulative indicator, is the first day of its window
	// (its events reach back before the period); Cohort, for a cohort
	// conversion, the kinds of its cohort's events (any of them: the page
	// joins them with "or", as the text writer does).
	From               string
	Cohort             []string
	Aggregate, Formula string
	Included           []eventView
	IncludedMore       string
	Excluded           []eventView
	ExcludedCounts     []reasonCount
	// ExcludedShown is how many events the list of those left out shows
	// and ExcludedOf, when it shows fewer (the engine lists some of each
	// reason, the page at most maxEvents), how many there are.
	ExcludedShown, ExcludedOf string
	Inputs                    []*explanationView
}

type eventView struct {
	Event, Time, Actor, Value, Amount, Reason string
}

type reasonCount struct {
	Reason string
	Count  string
}

func (h *handler) explain(q *request) (string, string, any, error) {
	params := q.r.URL.Query()
	// A parameter that is no grain or no date is refused as the other
	// pages refuse one (400, naming it); a well-formed one that names no
	// cell is 404, as a cell the viewer may not see.
	grain, err := period.ParseGrain(params.Get("grain"))
	if err != nil {
		return "", "", nil, &periodError{param: "grain", label: params.Get("grain"), malformed: true, bad: "grain.malformed"}
	}
	// Strictly: date.ParseISO moves 2026-11-31 onto 2026-12-01, which
	// would explain other dates under the period's label.
	var dates [2]date.Date
	for i, name := range []string{"from", "to"} {
		if dates[i], err = isodate.Parse(params.Get(name)); err != nil {
			return "", "", nil, &periodError{param: name, label: params.Get(name), malformed: true, bad: "date.malformed"}
		}
	}
	from, to := dates[0], dates[1]
	if from >= to {
		return "", "", nil, errUnexplained
	}
	p := period.Period{Grain: grain, Start: from, End: to}
	if !wholePeriods(h.data.Plan().Calendar(), p) {
		return "", "", nil, errUnexplained
	}
	cell := goalkit.Cell{Indicator: params.Get("indicator"), Participant: params.Get("participant"), Period: p}
	switch {
	case params.Get("by") == "1":
		by, ok := q.byOf(cell.Indicator, params)
		if !ok {
			return "", "", nil, errUnexplained
		}
		cell.By = by
	case params.Has("by") || hasByAttr(params):
		// Not the total, whose address names no row, nor a row.
		return "", "", nil, errUnexplained
	}
	ex, err := h.data.Explain(q.r.Context(), q.viewer, q.asOf, cell)
	switch {
	case err != nil && !errors.Is(err, fs.ErrNotExist) && q.r.Context().Err() == nil:
		// A failure, the operator's to see: logged, and answered
		// with a page that says only that it failed.
		return "", "", nil, err
	case err != nil || ex == nil:
		return "", "", nil, errUnexplained
	}
	if at := nilInput(ex, ""); at != "" {
		return "", "", nil, fmt.Errorf("dashboard: Data.Explain gave an explanation whose %s is nil", at)
	}
	if _, named := h.data.(Namer); named && ex.Participant != org.Everyone {
		// Whether the participant is a group or a person is the
		// report's values' to say; without them it is shown by its id,
		// and the report's failure is logged (the page is shown).
		if _, err := q.report(); err != nil {
			h.failed(q.r, err)
		}
	}
	return "explain.html", "explain", q.explanation(ex), nil
}

// nilInput is where an explanation holds a nil input ("inputs[1]",
// "inputs[0].inputs[2]"), the first; "" when it holds none.
func nilInput(ex *kpi.Explanation, at string) string {
	for i, in := range ex.Inputs {
		here := at + "inputs[" + strconv.Itoa(i) + "]"
		if in == nil {
			return here
		}
		if deeper := nilInput(in, here+"."); deeper != "" {
			return deeper
		}
	}
	return ""
}

// hasByAttr reports whether an explanation's address names an attribute
// of a breakdown row (by.NAME).
func hasByAttr(params url.Values) bool {
	for key := range params {
		if strings.HasPrefix(key, "by.") {
			return true
		}
	}
	return false
}

// wholePeriods reports whether p is what the dashboard links to: a whole
// number of periods of its grain (one, or several for a recurrence every n
// periods). A custom grain's periods start where their goal does, so only
// its length counts; the others' start and end are where periods of the
// grain start. Anything else (a year's grain over March) would show its
// value under the label of another period.
func wholePeriods(cal *period.Calendar, p period.Period) bool {
	if n, fixed := p.Grain.Length(); fixed && p.Grain != period.Day && p.Grain != period.Week {
		return p.Days()%n == 0
	}
	return cal.Containing(p.Grain, p.Start).Start == p.Start && cal.Containing(p.Grain, p.End).Start == p.End
}

func (q *request) explanation(ex *kpi.Explanation) *explanationView {
	plan := q.h.data.Plan()
	ix, _ := plan.Indicators().Lookup(ex.Indicator)
	f := formatOf(ix)
	loc := plan.Calendar().Location()
	v := &explanationView{
		Indicator: ex.Indicator, Participant: q.participantText(q.valueKind(ex.Participant), ex.Participant), Period: ex.Label,
		Value: f.text(q.l, ex.Value), Aggregate: q.l.word("agg.", ex.Aggregate), Formula: ex.Formula,
	}
	if ix != nil && ix.Def.Name != "" {
		v.Indicator = ix.Def.Name
	}
	if ex.Back > 0 {
		v.Prev, v.Back = "prev("+ex.Indicator+")", q.l.periodsBack(ex.Back)
		if ex.Back > 1 {
			v.Prev = "prev(" + ex.Indicator + ", " + strconv.Itoa(ex.Back) + ")"
		}
	}
	if ex.From != "" {
		v.From = ex.From
		if d, err := isodate.Parse(ex.From); err == nil {
			v.From = q.l.date(plan.Calendar().Midnight(d))
		}
	}
	v.Cohort = ex.Cohort
	if len(ex.By) > 0 {
		// In the order of the indicator's by, then the rest by name: an
		// input of a breakdown row (a formula's won, not broken down
		// itself) counts the row's events only, and says so, as the text
		// writer does; its heading said nothing of the row.
		var names []string
		if ix != nil {
			for _, name := range ix.Def.By {
				if _, ok := ex.By[name]; ok {
					names = append(names, name)
				}
			}
		}
		var rest []string
		for name := range ex.By {
			if !slices.Contains(names, name) {
				rest = append(rest, name)
			}
		}
		slices.Sort(rest)
		parts := make([]string, 0, len(ex.By))
		for _, name := range append(names, rest...) {
			parts = append(parts, name+" = "+q.comboText(combination{ex.By[name]}))
		}
		v.By = strings.Join(parts, ", ")
	}
	amount := func(s, currency string) string {
		if s == "" {
			return ""
		}
		d, err := decimal.NewFromString(s)
		if err != nil {
			return s
		}
		af := plainFormat
		if n, ok := score.MinorUnits(currency); ok {
			af = format{places: n, currency: currency}
		}
		return af.text(q.l, decimal.NewNullDecimal(d))
	}
	for i, c := range ex.Included {
		if i == maxEvents {
			v.IncludedMore = q.l.number(strconv.Itoa(len(ex.Included) - maxEvents))
			break
		}
		v.Included = append(v.Included, eventView{
			Event: c.Event, Time: q.l.instant(c.Time.In(loc)), Actor: q.participantText(goal.User, c.Actor),
			Value: amount(c.Value, ""), Amount: amount(c.Amount, c.Currency),
		})
	}
	for i, e := range ex.Excluded {
		if i == maxEvents {
			break
		}
		v.Excluded = append(v.Excluded, eventView{Event: e.Event, Time: q.l.instant(e.Time.In(loc)), Actor: q.participantText(goal.User, e.Actor), Reason: q.l.word("why.", e.Reason)})
	}
	reasons := make([]string, 0, len(ex.ExcludedCounts))
	for r := range ex.ExcludedCounts {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	total := 0
	for _, r := range reasons {
		v.ExcludedCounts = append(v.ExcludedCounts, reasonCount{Reason: q.l.word("why.", r), Count: q.l.number(strconv.Itoa(ex.ExcludedCounts[r]))})
		total += ex.ExcludedCounts[r]
	}
	// The list's count is of the events it shows, and says of how many
	// when there are more: it said "List the events (40)" under counts of
	// 491, as if 40 had been left out.
	total = max(total, len(ex.Excluded))
	v.ExcludedShown = q.l.number(strconv.Itoa(len(v.Excluded)))
	if len(v.Excluded) < total {
		v.ExcludedOf = q.l.number(strconv.Itoa(total))
	}
	for _, in := range ex.Inputs {
		v.Inputs = append(v.Inputs, q.explanation(in))
	}
	return v
}

// byOf reads the attributes' values of a breakdown row from an
// explanation's address (by.NAME=VALUE, each parsed strictly by the
// attribute's declared type; a NAME left out stands for events without
// it); false when the indicator is not broken down or a value does not
// parse.
func (q *request) byOf(indicator string, params url.Values) ([]any, bool) {
	plan := q.h.data.Plan()
	ix, ok := plan.Indicators().Lookup(indicator)
	if !ok || len(ix.Def.By) == 0 {
		return nil, false
	}
	// Every by.NAME (and by.NAME.type) is an attribute of the row's: a
	// mistyped by.sourc=web would explain the row of events without the
	// source under an address that asks for the web's.
	for key := range params {
		name, ok := strings.CutPrefix(key, "by.")
		if ok && !slices.Contains(ix.Def.By, strings.TrimSuffix(name, ".type")) {
			return nil, false
		}
	}
	types := q.defs().attrs
	by := make([]any, len(ix.Def.By))
	for i, name := range ix.Def.By {
		if !params.Has("by." + name) {
			continue
		}
		t := types[name]
		if params.Has("by." + name + ".type") {
			if t.UnmarshalText([]byte(params.Get("by."+name+".type"))) != nil {
				return nil, false
			}
		}
		v, err := goalkit.ParseAttr(t, params.Get("by."+name))
		if err != nil {
			return nil, false
		}
		by[i] = v
	}
	return by, true
}

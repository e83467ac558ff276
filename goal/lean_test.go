package goal

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// A fetch evaluates only the indicators the goals read (a narrowed view):
// whatever the goals (plain and formula indicators, filters, targets that
// read other indicators, participants found among the events, series and
// notifications), the result is the one of fetches that evaluate every
// indicator of the plan.
func TestNarrowedViewsChangeNothing(t *testing.T) {
	changeNothing(t, &narrowViews)
}

// The rows at Since, which only the notifications read, go without the
// values of other periods (Previous, YearAgo): the result, notifications
// included, is the one with them.
func TestRowsComparedAloneChangeNothing(t *testing.T) {
	changeNothing(t, &comparedAlone)
}

// The rows at Since of an instance over by then are its rows at AsOf when
// nothing they read differs between the two instants: the result,
// notifications included, is the one that computes them (with versions
// known only later, records closed in between, automatic closes).
func TestRowsAtSinceFromAsOfChangeNothing(t *testing.T) {
	changeNothing(t, &sinceFromAsOf)
}

// changeNothing checks that results are the same whether the switch is on
// or off.
func changeNothing(t *testing.T, on *bool) {
	cal := enginetest.Calendar(t, "America/New_York")
	users := ParticipantsDef{Users: []string{"anna", "boris", "vera"}}
	monthly := PeriodDef{From: d("2025-10-01"), Every: period.Month}
	shapes := []Def{
		{ID: "deals", Indicator: "won", Target: dp("6"), Period: monthly, Participants: users,
			Notify: []NotifyRule{{On: NotifyMilestoneReached}, {On: NotifyAchieved}, {On: NotifyAtRisk}, {On: NotifyBackOnTrack},
				{On: NotifyDeadlineApproaching, Days: 3}, {On: NotifyDailyDigest}, {On: NotifyFailed}, {On: NotifyPeriodClosed}},
			Milestones: []Milestone{{Percent: true, Value: dec("50")}, {Percent: true, Value: dec("100")}},
			Close:      CloseDef{Auto: true, AfterDays: 1}},
		{ID: "revenue", Indicator: "revenue", Target: dp("1000"), Period: PeriodDef{From: d("2025-10-06"), Every: period.Week}, Participants: users},
		{ID: "conv", Indicator: "conversion", Target: dp("0.5"), Period: monthly, Participants: users},
		{ID: "grow", Indicator: "won", TargetFormula: "prev(created) + 1", Target: dp("2"), Period: monthly, Participants: users},
		{ID: "big", Indicator: "revenue", Filter: "amount > 100", Target: dp("500"), Period: monthly, Participants: users},
		{ID: "each", Indicator: "created", Target: dp("3"), Period: monthly, Participants: ParticipantsDef{Company: true, Mode: Each},
			Notify: []NotifyRule{{On: NotifyAchieved}}},
		{ID: "company", Indicator: "leads", Target: dp("3"), Period: monthly, Participants: ParticipantsDef{Company: true}},
	}
	rapid.Check(t, func(t *rapid.T) {
		s, err := Compile(drawShapes(t, shapes), Env{Calendar: cal, Indicators: enginetest.SalesIndicators, Attributes: map[string]kpi.AttrType{"source": kpi.AttrString}})
		if err != nil {
			t.Fatal(err)
		}
		es := tickEvents(t, cal)
		asOf := cal.Midnight(d("2025-10-20")).Add(time.Duration(rapid.IntRange(0, 60*24).Draw(t, "hours")) * time.Hour)
		req := Request{AsOf: asOf, From: d("2025-01-01"), To: d("2026-01-01"), Series: rapid.Bool().Draw(t, "series")}
		if rapid.Bool().Draw(t, "since") {
			req.Since = asOf.Add(-time.Duration(rapid.IntRange(1, 40*24).Draw(t, "sinceHours")) * time.Hour)
		}
		for i := range es {
			if rapid.IntRange(0, 15).Draw(t, "learnt") == 0 {
				es[i].Known = asOf.Add(-time.Duration(rapid.IntRange(-48, 40*24).Draw(t, "knownHours")) * time.Hour)
			}
		}
		for range rapid.IntRange(0, 3).Draw(t, "records") {
			// Closed results of a monthly goal with notifications (one
			// closing automatically, one not), closed before, between or
			// after the two instants.
			p := cal.Containing(period.Month, d("2025-09-01")+date.Date(rapid.IntRange(0, 100).Draw(t, "recordDay")))
			status := rapid.SampledFrom([]Status{Achieved, Failed}).Draw(t, "recordStatus")
			req.Records = append(req.Records, Record{Goal: rapid.SampledFrom([]string{"deals", "each"}).Draw(t, "recordGoal"),
				Participant: rapid.SampledFrom([]string{"anna", "boris", "vera", "dora"}).Draw(t, "recordUser"), Kind: User,
				PeriodStart: p.Start, PeriodEnd: p.End, ClosedAt: asOf.Add(-time.Duration(rapid.IntRange(-24, 40*24).Draw(t, "closedHours")) * time.Hour),
				Target: nd("6"), Actual: nd(fmt.Sprint(rapid.IntRange(0, 9).Draw(t, "recordActual"))), Status: status})
		}
		sameSwitched(t, s, snapshot(s, es), req, on)
	})
}

// drawShapes draws some of the goals shapes, at least one (the first when
// none was drawn).
func drawShapes(t *rapid.T, shapes []Def) []Def {
	var defs []Def
	for _, g := range shapes {
		if rapid.Bool().Draw(t, g.ID) {
			defs = append(defs, g)
		}
	}
	if len(defs) == 0 {
		defs = shapes[:1]
	}
	return defs
}

// sameSwitched fails t when the rows, notifications and corrections of an
// evaluation differ with the switch on and off.
func sameSwitched(t *rapid.T, s *Set, tab *kpi.Table, req Request, on *bool) {
	eval := func(narrow bool) []byte {
		was := *on
		*on = narrow
		defer func() { *on = was }()
		res, err := s.Evaluate(context.Background(), tab, req)
		if err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal([]any{res.Rows, res.Notifications, res.Corrections})
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	if with, without := eval(true), eval(false); string(with) != string(without) {
		t.Fatalf("switched on:\n%s\noff:\n%s", with, without)
	}
}

// A narrowed view is compiled once per Set and indicators read, and only
// of plain event indicators.
func TestNarrowedViewsOf(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	set, err := kpi.Compile(append(enginetest.SalesIndicators,
		kpi.IndicatorDef{ID: "ytd", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, ToDate: "year"}), kpi.Env{Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	l := newLeanSets(nil, cal)
	a := l.of(set, []string{"revenue", "won"})
	if a == set || len(a.Indicators()) != 2 || !holds(a, []string{"won", "revenue"}) || holds(a, []string{"created"}) {
		t.Fatalf("narrowed to won and revenue: %v", a.IDs())
	}
	if b := l.of(set, []string{"revenue", "won"}); b != a {
		t.Fatal("the same indicators compiled again")
	}
	for _, ids := range [][]string{{"conversion"}, {"won", "ytd"}, {"missing"}, nil} {
		if got := l.of(set, ids); got != set {
			t.Fatalf("%v: narrowed to %v, want the whole view", ids, got.IDs())
		}
	}
	for i := range maxLeanSets + 3 {
		// Past the bound the whole view answers.
		ids := []string{"won"}
		if i%2 == 1 {
			ids = []string{"created"}
		}
		l.of(set, ids)
	}
	if len(l.sets) > maxLeanSets {
		t.Fatalf("%d narrowed views kept", len(l.sets))
	}
}

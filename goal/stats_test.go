package goal

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func TestAccrue(t *testing.T) {
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return start.Add(time.Duration(h) * time.Hour) }
	c := func(h int, v string) kpi.Contribution { return kpi.Contribution{Time: at(h), Value: v} }
	for _, tt := range []struct {
		name    string
		agg     kpi.Aggregate
		target  string
		contrib []kpi.Contribution
		want    time.Time // zero: not met
	}{
		{"the third of four", kpi.Count, "3", []kpi.Contribution{c(1, ""), c(2, ""), c(3, ""), c(4, "")}, at(3)},
		{"two at one instant", kpi.Count, "2", []kpi.Contribution{c(1, ""), c(5, ""), c(5, "")}, at(5)},
		{"met with no event", kpi.Count, "0", []kpi.Contribution{c(1, "")}, start},
		{"not met", kpi.Count, "5", []kpi.Contribution{c(1, ""), c(2, "")}, time.Time{}},
		// 5, 11 (met), 8 (a refund: not met), 12 (met for good).
		{"the last crossing", kpi.Sum, "10", []kpi.Contribution{c(1, "5"), c(2, "6"), c(3, "-3"), c(4, "4")}, at(4)},
		{"a sum that falls back for good", kpi.Sum, "10", []kpi.Contribution{c(1, "12"), c(2, "-5")}, time.Time{}},
		{"distinct values", kpi.Distinct, "2", []kpi.Contribution{c(1, "acme"), c(2, "acme"), c(3, "initech")}, at(3)},
		{"max", kpi.Max, "8", []kpi.Contribution{c(1, "3"), c(2, "9"), c(3, "1")}, at(2)},
		{"min of nothing is undefined", kpi.Min, "-1", nil, time.Time{}},
		// averages 10, 5 (met), 3.33 (not), 5 (met).
		{"average", kpi.Avg, "5", []kpi.Contribution{c(1, "10"), c(2, "0"), c(3, "0"), c(4, "10")}, at(4)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := accrue(tt.agg, tt.contrib, nd(tt.target), start)
			if err != nil {
				t.Fatal(err)
			}
			if ok != !tt.want.IsZero() || (ok && !got.Equal(tt.want)) {
				t.Errorf("accrue = %v, %v; want %v", got, ok, tt.want)
			}
		})
	}
}

// TestAchievedAtByHand: a count, a sum, a team's total with a member who
// joined mid-month, the company's, a checklist and a level.
func TestAchievedAtByHand(t *testing.T) {
	cal := mustCal(t, "Europe/Berlin")
	inds := append(slices.Clone(salesInds), kpi.IndicatorDef{ID: "avg_deal", Kinds: []string{"deal.won"}, Aggregate: "avg", Value: "amount"})
	month := PeriodDef{From: d("2025-03-01"), Every: period.Month}
	s := mustCompile(t, cal, inds,
		Def{ID: "won2", Indicator: "won", Target: dp("2"), Period: month, Participants: ParticipantsDef{Users: []string{"anna", "boris"}}},
		Def{ID: "rev", Indicator: "revenue", Target: dp("100"), Period: month, Participants: ParticipantsDef{Teams: []string{"sales"}, Company: true}},
		Def{ID: "avg", Indicator: "avg_deal", Target: dp("10"), Period: month, Participants: ParticipantsDef{Users: []string{"anna"}}},
		Def{ID: "onboard", Checklist: []ItemDef{{ID: "course", Kinds: []string{"training.completed"}}, {ID: "talk", Manual: true}},
			Period: month, Participants: ParticipantsDef{Users: []string{"anna", "boris"}}})
	won := func(id, actor, when, amount string) kpi.Event {
		e := ev(id, "deal.won", actor, at(cal, when))
		e.Amount = nd(amount)
		return e
	}
	src := events{
		won("w1", "anna", "2025-03-03 10:00", "40"),
		won("w2", "boris", "2025-03-04 11:00", "50"), // boris joins sales on the 10th: not the team's
		won("w3", "anna", "2025-03-12 09:30", "30"),
		won("w4", "boris", "2025-03-13 16:00", "20"),
		won("w5", "anna", "2025-02-27 16:00", "500"), // February
		won("w6", "boris", "2025-03-20 08:00", "45"),
		ev("t1", "training.completed", "anna", at(cal, "2025-03-05 12:00")),
		ev("t2", "training.completed", "boris", at(cal, "2025-03-06 12:00")),
	}
	dir := directory{units: []org.Unit{{ID: "sales"}},
		ms: []org.Membership{{User: "anna", Unit: "sales"}, {User: "boris", Unit: "sales", From: d("2025-03-10")}}}
	res := evaluate(t, s, src, Request{AsOf: at(cal, "2025-03-31 12:00"), From: d("2025-03-01"), To: d("2025-04-01"), Org: loadOrg(t, dir),
		AchievedAt: true, Marks: []Mark{{Goal: "onboard", Item: "talk", Participant: "anna", Time: at(cal, "2025-03-07 09:00")}}})
	for _, tt := range []struct {
		goal, participant string
		want              string // "": not achieved or not timed
	}{
		{"won2", "anna", "2025-03-12 09:30"},
		{"won2", "boris", "2025-03-13 16:00"},
		{"rev", "sales", "2025-03-20 08:00"}, // 40 + 30 + 20 (w2 before boris joined) + 45 = 135; 90 before w6
		{"rev", "*", "2025-03-12 09:30"},     // 40 + 50 + 30 = 120
		{"avg", "anna", ""},                  // a level: judged at the end
		{"onboard", "anna", "2025-03-07 09:00"},
		{"onboard", "boris", ""}, // the talk is not marked
	} {
		r := rowFor(t, res, tt.goal, tt.participant)
		var want time.Time
		if tt.want != "" {
			want = at(cal, tt.want)
		}
		if !r.AchievedAt.Equal(want) {
			t.Errorf("%s/%s (%s): achieved at %v, want %v", tt.goal, tt.participant, r.Status, r.AchievedAt, want)
		}
	}
	// Not asked for: never set.
	res = evaluate(t, s, src, Request{AsOf: at(cal, "2025-03-31 12:00"), From: d("2025-03-01"), To: d("2025-04-01"), Org: loadOrg(t, dir)})
	for _, r := range res.Rows {
		if !r.AchievedAt.IsZero() {
			t.Errorf("%s/%s: achieved at %v without asking", r.Goal, r.Participant, r.AchievedAt)
		}
	}
}

// TestAchievedAtProperties: for counts and sums of non-negative amounts, by
// a person, a team whose membership changes and the company, AchievedAt is
// the instant the goal's own status turns achieved: the row is achieved
// as of AchievedAt and not a nanosecond before; for a person's count it is
// the time of the target-th event, counted by hand. Versions known at an
// instant (KnownAt) give the same instants as the events then.
func TestAchievedAtProperties(t *testing.T) {
	cal := mustCal(t, "America/New_York")
	month := PeriodDef{From: d("2025-10-01"), Every: period.Month}
	dir := directory{units: []org.Unit{{ID: "sales"}},
		ms: []org.Membership{{User: "anna", Unit: "sales", To: d("2025-11-15")}, {User: "boris", Unit: "sales", From: d("2025-11-10")}}}
	o := loadOrg(t, dir)
	defer func(n int) { chunkEvents = n }(chunkEvents)
	rapid.Check(t, func(rt *rapid.T) {
		chunkEvents = rapid.IntRange(1, 50).Draw(rt, "events a table")
		k := rapid.IntRange(1, 4).Draw(rt, "target")
		s := mustCompile(t, cal, salesInds,
			Def{ID: "won", Indicator: "won", Target: dp(fmt.Sprint(k)), Period: month, Participants: ParticipantsDef{Users: []string{"anna", "boris"}, Teams: []string{"sales"}, Company: true}},
			Def{ID: "rev", Indicator: "revenue", Target: dp(fmt.Sprint(rapid.IntRange(1, 900).Draw(rt, "revenue target"))), Period: month,
				Participants: ParticipantsDef{Users: []string{"anna"}, Teams: []string{"sales"}, Company: true}})
		// Deals from 28 October to 3 December, most of them won, some at
		// the same minute.
		from := cal.Midnight(d("2025-10-28"))
		var src events
		for i := range rapid.IntRange(0, 40).Draw(rt, "events") {
			e := ev(fmt.Sprint("e", i), rapid.SampledFrom([]string{"deal.won", "deal.won", "deal.won", "deal.created"}).Draw(rt, "kind"),
				rapid.SampledFrom([]string{"anna", "boris", "vera", "dora"}).Draw(rt, "actor"),
				from.Add(time.Duration(rapid.IntRange(0, 36*24*4).Draw(rt, "quarter hour"))*15*time.Minute))
			e.Amount = decimal.NewNullDecimal(decimal.NewFromInt(int64(rapid.IntRange(0, 400).Draw(rt, "amount"))))
			src = append(src, e)
		}
		asOf := cal.Midnight(d("2025-11-01")).Add(time.Duration(rapid.IntRange(0, 33*24*60).Draw(rt, "as of minute")) * time.Minute)
		req := Request{AsOf: asOf, From: d("2025-11-01"), To: d("2025-12-01"), Org: o, AchievedAt: true}
		tab := snapshot(s, src)
		res, err := s.Evaluate(context.Background(), tab, req)
		if err != nil {
			rt.Fatal(err)
		}
		statusAt := func(r Row, t time.Time) Status {
			q := req
			q.AsOf, q.AchievedAt = t, false
			res, err := s.Evaluate(context.Background(), tab, q)
			if err != nil {
				rt.Fatal(err)
			}
			for _, q := range res.Rows {
				if q.Goal == r.Goal && q.Participant == r.Participant {
					return q.Status
				}
			}
			rt.Fatalf("no row %s/%s", r.Goal, r.Participant)
			return ""
		}
		start := cal.Midnight(d("2025-11-01"))
		for _, r := range res.Rows {
			if (r.Status == Achieved) != !r.AchievedAt.IsZero() {
				rt.Fatalf("%s/%s %s: achieved at %v", r.Goal, r.Participant, r.Status, r.AchievedAt)
			}
			if r.AchievedAt.IsZero() {
				continue
			}
			if r.AchievedAt.Before(start) || r.AchievedAt.After(asOf) {
				rt.Fatalf("%s/%s achieved at %v, outside [%v, %v]", r.Goal, r.Participant, r.AchievedAt, start, asOf)
			}
			if st := statusAt(r, r.AchievedAt); st != Achieved {
				rt.Fatalf("%s/%s: %s as of its achievement %v", r.Goal, r.Participant, st, r.AchievedAt)
			}
			if r.AchievedAt.After(start) {
				if st := statusAt(r, r.AchievedAt.Add(-time.Nanosecond)); st == Achieved {
					rt.Fatalf("%s/%s: achieved before %v", r.Goal, r.Participant, r.AchievedAt)
				}
			}
			if r.Goal == "won" && r.Kind == User {
				var times []time.Time
				for _, e := range src {
					if e.Kind == "deal.won" && e.Actor == r.Participant && !e.Time.Before(start) && e.Time.Before(cal.Midnight(d("2025-12-01"))) && !e.Time.After(asOf) {
						times = append(times, e.Time)
					}
				}
				slices.SortFunc(times, time.Time.Compare)
				if want := times[k-1]; !r.AchievedAt.Equal(want) {
					rt.Fatalf("%s/%s achieved at %v, by hand %v", r.Goal, r.Participant, r.AchievedAt, want)
				}
			}
		}
		// The same as known now: every version is known.
		q := req
		q.KnownAt = asOf.Add(time.Hour)
		known, err := s.Evaluate(context.Background(), tab, q)
		if err != nil {
			rt.Fatal(err)
		}
		for i, r := range known.Rows {
			if !r.AchievedAt.Equal(res.Rows[i].AchievedAt) {
				rt.Fatalf("%s/%s known at: achieved at %v, %v without", r.Goal, r.Participant, r.AchievedAt, res.Rows[i].AchievedAt)
			}
		}
	})
}

func TestCheckStats(t *testing.T) {
	env := Env{Indicators: salesInds}
	for _, tt := range []struct {
		name string
		def  StatsDef
		want string
	}{
		{"nothing declared", StatsDef{}, ""},
		{"a business result", StatsDef{BusinessResult: "revenue", Indicators: []string{"won", "leads"}}, ""},
		{"unknown", StatsDef{BusinessResult: "revenu", Indicators: []string{"wonn"}},
			"goal_stats.business_result: unknown indicator \"revenu\" (did you mean \"revenue\"?)\ngoal_stats.indicators[0]: unknown indicator \"wonn\" (did you mean \"won\"?)"},
		{"no business result", StatsDef{Indicators: []string{"won"}},
			"goal_stats.business_result: indicators are correlated with a business result: name it (business_result: revenue)"},
		{"itself and twice", StatsDef{BusinessResult: "revenue", Indicators: []string{"revenue", "won", "won"}},
			"goal_stats.indicators[0]: \"revenue\" is the business result itself\ngoal_stats.indicators[2]: \"won\" is listed twice"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			if err := CheckStats(tt.def, env, "goal_stats"); err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestCorrelate: the points are the users' cells (not groups, not "*")
// where both values are defined; too few points and constant values are
// undefined, with the reason.
func TestCorrelate(t *testing.T) {
	cal := mustCal(t, "UTC")
	inds := append(slices.Clone(salesInds), kpi.IndicatorDef{ID: "avg_deal", Kinds: []string{"deal.won"}, Aggregate: "avg", Value: "amount"},
		kpi.IndicatorDef{ID: "calls", Kinds: []string{"call"}, Aggregate: "count"})
	set, err := kpi.Compile(inds, kpi.Env{Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	won := func(id, actor, when, amount string) kpi.Event {
		e := ev(id, "deal.won", actor, at(cal, when))
		e.Amount = nd(amount)
		return e
	}
	// Revenue per person and month: anna 10, 30; boris 20, 0; vera 0, 0
	// (vera's only event is a lead). Won: 1, 2; 1, 0; 0, 0.
	src := events{won("a1", "anna", "2025-01-05 10:00", "10"), won("a2", "anna", "2025-02-05 10:00", "12"), won("a3", "anna", "2025-02-06 10:00", "18"),
		won("b1", "boris", "2025-01-07 10:00", "20"), ev("v1", "lead.created", "vera", at(cal, "2025-01-09 10:00"))}
	tab := snapshot(&Set{cal: cal}, src)
	ps, _ := cal.Periods(period.Month, d("2025-01-01"), d("2025-03-01"))
	res, err := set.EvaluateTable(context.Background(), tab, kpi.Request{Calendar: cal, Periods: ps, AsOf: at(cal, "2025-03-01 00:00"),
		Groups: []org.Group{{ID: "team", Members: []string{"anna", "boris"}}}})
	if err != nil {
		t.Fatal(err)
	}
	got := Correlate(res, StatsDef{BusinessResult: "revenue"})
	var lines []string
	for _, c := range got {
		lines = append(lines, strings.TrimSpace(fmt.Sprintf("%s %d %s %s", c.Indicator, c.Points, str(c.R), c.Undefined)))
	}
	// The points, by person and month (anna, boris, vera × January,
	// February): revenue y = 10 30 20 0 0 0.
	want := []string{
		// x = 1 2 1 0 0 0: n=6, Σx=4, Σy=60, Σxy=90, Σx²=6, Σy²=1400:
		// (540−240)/√((36−16)(8400−3600)) = √(15/16) = 0.96824583655185422…
		"won 6 0.9682458365518542",
		"created 6 null created has the same value at every point",
		"conversion 0 null fewer than 3 points", // 0/0 everywhere
		// x = 0 0 0 0 1 0: (0−60)/√((6−1)·4800) = −√0.15 = −0.38729833462074168…
		"leads 6 -0.3872983346207417",
		// anna's January and February and boris's January: x = 10 15 20,
		// y = 10 30 20: 150/√(150·600) = 0.5.
		"avg_deal 3 0.5",
		"calls 6 null calls has the same value at every point",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	// The KPIs named, in their order.
	got = Correlate(res, StatsDef{BusinessResult: "won", Indicators: []string{"leads", "revenue"}})
	if len(got) != 2 || got[0].Indicator != "leads" || got[1].Indicator != "revenue" || got[1].BusinessResult != "won" {
		t.Errorf("named KPIs: %+v", got)
	}
	if Correlate(res, StatsDef{}) != nil {
		t.Error("correlations without a business result")
	}
}

// TestSummarizeProperties: over any rows, the counts add up (achieved,
// failed and open to the instances; the tallies by goal, type and period to
// the total), the shares lie in [0, 1] and add up to exactly 1, each within
// 1e-16 of its count's quotient, drafts are left out, medians lie between
// the least and the greatest value, and a unit counts the rows of its own
// and its members'.
func TestSummarizeProperties(t *testing.T) {
	cal := mustCal(t, "Europe/Berlin")
	month := PeriodDef{From: d("2025-01-01"), Every: period.Month}
	s := mustCompile(t, cal, salesInds,
		Def{ID: "g0", Indicator: "won", Target: dp("1"), Period: month, Participants: ParticipantsDef{Company: true}},
		Def{ID: "g1", Indicator: "won", Target: dp("1"), Period: month, Participants: ParticipantsDef{Company: true}},
		Def{ID: "g2", Indicator: "won", Target: dp("1"), Period: month, Participants: ParticipantsDef{Company: true}})
	dir := directory{units: []org.Unit{{ID: "sales"}, {ID: "east", Parent: "sales"}, {ID: "support"}},
		ms: []org.Membership{{User: "anna", Unit: "east"}, {User: "boris", Unit: "sales", To: d("2025-02-01")}, {User: "vera", Unit: "support"}}}
	o := loadOrg(t, dir)
	// inUnit is the membership above, by hand: anna is in east (so in
	// sales), boris in sales in January only, vera in support.
	inUnit := func(unit string, r Row) bool {
		switch r.Kind {
		case Team:
			return r.Participant == unit || (unit == "sales" && r.Participant == "east")
		case User:
			switch r.Participant {
			case "anna":
				return unit == "east" || unit == "sales"
			case "boris":
				return unit == "sales" && r.Period.Start < d("2025-02-01")
			case "vera":
				return unit == "support"
			}
		}
		return false
	}
	periods, _ := cal.Periods(period.Month, d("2025-01-01"), d("2025-04-01"))
	one := decimal.NewFromInt(1)
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(0, 40).Draw(rt, "rows")
		rows := make([]Row, n)
		for i := range rows {
			r := Row{Goal: rapid.SampledFrom([]string{"g0", "g1", "g2"}).Draw(rt, "goal"),
				Status: rapid.SampledFrom([]Status{NotStarted, OnTrack, AtRisk, OffTrack, Achieved, Failed}).Draw(rt, "status"),
				State:  rapid.SampledFrom([]State{StateActive, StateActive, StateActive, StateDraft}).Draw(rt, "state"),
				Period: rapid.SampledFrom(periods).Draw(rt, "period")}
			r.Label = cal.Label(r.Period)
			switch rapid.IntRange(0, 2).Draw(rt, "kind") {
			case 0:
				r.Kind, r.Participant = User, rapid.SampledFrom([]string{"anna", "boris", "vera", "dora"}).Draw(rt, "user")
			case 1:
				r.Kind, r.Participant = Team, rapid.SampledFrom([]string{"sales", "east", "support"}).Draw(rt, "team")
			default:
				r.Kind, r.Participant = Company, "*"
			}
			if rapid.Bool().Draw(rt, "checklist") {
				r.Items = []ItemProgress{{ID: "x"}}
			}
			if rapid.Bool().Draw(rt, "achievement") {
				r.Achievement.Uncapped = decimal.NewNullDecimal(decimal.New(rapid.Int64Range(0, 5000).Draw(rt, "ach"), -3))
			}
			if r.Status == Achieved && rapid.Bool().Draw(rt, "timed") {
				start, end := cal.Bounds(r.Period)
				r.AchievedAt = start.Add(time.Duration(rapid.Int64Range(0, int64(end.Sub(start))).Draw(rt, "ns")))
			}
			rows[i] = r
		}
		st := s.Summarize(rows, o)
		var live []Row
		for _, r := range rows {
			if r.State != StateDraft {
				live = append(live, r)
			}
		}
		checkTally := func(name string, tl Tally, rows []Row) {
			var ach, fail, timed int
			var achs []decimal.Decimal
			for _, r := range rows {
				switch r.Status {
				case Achieved:
					ach++
				case Failed:
					fail++
				}
				if r.Achievement.Uncapped.Valid {
					achs = append(achs, r.Achievement.Uncapped.Decimal)
				}
				if !r.AchievedAt.IsZero() {
					timed++
				}
			}
			if tl.Instances != len(rows) || tl.Achieved != ach || tl.Failed != fail || tl.Open != len(rows)-ach-fail || tl.TimeToAchievement.Instances != timed {
				rt.Fatalf("%s: %+v; by hand %d rows, %d achieved, %d failed, %d timed", name, tl, len(rows), ach, fail, timed)
			}
			if len(rows) == 0 {
				if tl.AchievedShare.Valid || tl.AchievementMedian.Valid {
					rt.Fatalf("%s: shares of nothing", name)
				}
				return
			}
			sum := decimal.Zero
			for _, sh := range []struct {
				v decimal.NullDecimal
				k int
			}{{tl.AchievedShare, ach}, {tl.FailedShare, fail}, {tl.OpenShare, len(rows) - ach - fail}} {
				if !sh.v.Valid || sh.v.Decimal.IsNegative() || sh.v.Decimal.GreaterThan(one) {
					rt.Fatalf("%s: share %v outside [0, 1]", name, sh.v)
				}
				exact := decimal.NewFromInt(int64(sh.k)).DivRound(decimal.NewFromInt(int64(len(rows))), 30)
				if exact.Sub(sh.v.Decimal).Abs().GreaterThan(decimal.New(1, -16)) {
					rt.Fatalf("%s: share %s of %d/%d", name, sh.v.Decimal, sh.k, len(rows))
				}
				sum = sum.Add(sh.v.Decimal)
			}
			if !sum.Equal(one) {
				rt.Fatalf("%s: shares add up to %s", name, sum)
			}
			if len(achs) > 0 {
				lo, hi := slices.MinFunc(achs, decimal.Decimal.Cmp), slices.MaxFunc(achs, decimal.Decimal.Cmp)
				if m := tl.AchievementMedian.Decimal; m.LessThan(lo) || m.GreaterThan(hi) {
					rt.Fatalf("%s: median achievement %s outside [%s, %s]", name, m, lo, hi)
				}
			}
			if d := tl.TimeToAchievement; d.Instances > 0 {
				if d.Median.Decimal.LessThan(d.Min.Decimal) || d.Median.Decimal.GreaterThan(d.P90.Decimal) || d.P90.Decimal.GreaterThan(d.Max.Decimal) || d.Min.Decimal.IsNegative() {
					rt.Fatalf("%s: times %v ≤ %v ≤ %v ≤ %v", name, d.Min, d.Median, d.P90, d.Max)
				}
			}
		}
		checkTally("total", st.Total, live)
		sums := map[string]int{}
		for _, tl := range st.ByGoal {
			checkTally("goal "+tl.Goal, tl, keep(live, func(r Row) bool { return r.Goal == tl.Goal }))
			sums["goal"] += tl.Instances
		}
		for _, tl := range st.ByType {
			checkTally("type "+tl.Type, tl, keep(live, func(r Row) bool { return (len(r.Items) > 0) == (tl.Type == TypeQualitative) }))
			sums["type"] += tl.Instances
		}
		for i, tl := range st.ByPeriod {
			checkTally("period "+tl.Label, tl, keep(live, func(r Row) bool { return r.Period == tl.Period }))
			sums["period"] += tl.Instances
			if i > 0 && tl.Period.Start <= st.ByPeriod[i-1].Period.Start {
				rt.Fatalf("periods out of order")
			}
			if i > 0 && (tl.AchievedShareChange.Valid != (st.ByPeriod[i-1].Period.End == tl.Period.Start) ||
				tl.AchievedShareChange.Valid && !tl.AchievedShareChange.Decimal.Equal(tl.AchievedShare.Decimal.Sub(st.ByPeriod[i-1].AchievedShare.Decimal))) {
				rt.Fatalf("period %s: change %v", tl.Label, tl.AchievedShareChange)
			}
		}
		for _, k := range []string{"goal", "type", "period"} {
			if sums[k] != len(live) {
				rt.Fatalf("the tallies by %s count %d rows of %d", k, sums[k], len(live))
			}
		}
		var teams []string
		for _, tl := range st.ByTeam {
			teams = append(teams, tl.Team)
			checkTally("team "+tl.Team, tl, keep(live, func(r Row) bool { return inUnit(tl.Team, r) }))
		}
		for _, u := range []string{"sales", "east", "support"} {
			if !slices.Contains(teams, u) && len(keep(live, func(r Row) bool { return inUnit(u, r) })) > 0 {
				rt.Fatalf("no tally for %s", u)
			}
		}
		if s.Summarize(rows, nil).ByTeam != nil {
			rt.Fatalf("team tallies without an organisation")
		}
	})
}

func keep(rows []Row, ok func(Row) bool) []Row {
	var out []Row
	for _, r := range rows {
		if ok(r) {
			out = append(out, r)
		}
	}
	return out
}

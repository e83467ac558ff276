package goalstats

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// d, nd and dp are a date, a result's value and a definition's optional
// number, written as text.
var (
	d  = enginetest.Date
	nd = enginetest.Null
	dp = enginetest.Ptr
)

func str(x decimal.NullDecimal) string {
	if !x.Valid {
		return "null"
	}
	return x.Decimal.String()
}

func ev(id, kind, actor string, t time.Time) kpi.Event {
	return kpi.Event{ID: id, Kind: kind, Actor: actor, Time: t}
}

func mustCompile(t testing.TB, cal *period.Calendar, inds []kpi.IndicatorDef, defs ...goal.Def) *goal.Set {
	t.Helper()
	s, err := goal.Compile(defs, goal.Env{Calendar: cal, Indicators: inds})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCheckStats(t *testing.T) {
	for _, tt := range []struct {
		name string
		def  Def
		want string
	}{
		{"nothing declared", Def{}, ""},
		{"a business result", Def{BusinessResult: "revenue", Indicators: []string{"won", "leads"}}, ""},
		{"unknown", Def{BusinessResult: "revenu", Indicators: []string{"wonn"}},
			"goal_stats.business_result: unknown indicator \"revenu\" (did you mean \"revenue\"?)\ngoal_stats.indicators[0]: unknown indicator \"wonn\" (did you mean \"won\"?)"},
		{"no business result", Def{Indicators: []string{"won"}},
			"goal_stats.business_result: indicators are correlated with a business result: name it (business_result: revenue)"},
		{"itself and twice", Def{BusinessResult: "revenue", Indicators: []string{"revenue", "won", "won"}},
			"goal_stats.indicators[0]: \"revenue\" is the business result itself\ngoal_stats.indicators[2]: \"won\" is listed twice"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := ""
			if err := Check(tt.def, enginetest.SalesIndicators, "goal_stats"); err != nil {
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
	cal := enginetest.Calendar(t, "UTC")
	inds := append(slices.Clone(enginetest.SalesIndicators), kpi.IndicatorDef{ID: "avg_deal", Kinds: []string{"deal.won"}, Aggregate: "avg", Value: "amount"},
		kpi.IndicatorDef{ID: "calls", Kinds: []string{"call"}, Aggregate: "count"})
	set, err := kpi.Compile(inds, kpi.Env{Calendar: cal})
	if err != nil {
		t.Fatal(err)
	}
	won := func(id, actor, when, amount string) kpi.Event {
		e := ev(id, "deal.won", actor, enginetest.At(cal, when))
		e.Amount = nd(amount)
		return e
	}
	// Revenue per person and month: anna 10, 30; boris 20, 0; vera 0, 0
	// (vera's only event is a lead). Won: 1, 2; 1, 0; 0, 0.
	src := kpi.Events{won("a1", "anna", "2025-01-05 10:00", "10"), won("a2", "anna", "2025-02-05 10:00", "12"), won("a3", "anna", "2025-02-06 10:00", "18"),
		won("b1", "boris", "2025-01-07 10:00", "20"), ev("v1", "lead.created", "vera", enginetest.At(cal, "2025-01-09 10:00"))}
	tab := enginetest.Table(cal.Location(), src)
	ps, _ := cal.Periods(period.Month, d("2025-01-01"), d("2025-03-01"))
	res, err := set.EvaluateTable(context.Background(), tab, kpi.Request{Calendar: cal, Periods: ps, AsOf: enginetest.At(cal, "2025-03-01 00:00"),
		Groups: []org.Group{{ID: "team", Members: []string{"anna", "boris"}}}})
	if err != nil {
		t.Fatal(err)
	}
	got := Correlate(res, Def{BusinessResult: "revenue"})
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
	got = Correlate(res, Def{BusinessResult: "won", Indicators: []string{"leads", "revenue"}})
	if len(got) != 2 || got[0].Indicator != "leads" || got[1].Indicator != "revenue" || got[1].BusinessResult != "won" {
		t.Errorf("named KPIs: %+v", got)
	}
	if Correlate(res, Def{}) != nil {
		t.Error("correlations without a business result")
	}
	// A name values do not hold is said to be unknown; it read as "fewer
	// than 3 points", as if the indicator had no values.
	got = Correlate(res, Def{BusinessResult: "won", Indicators: []string{"leads", "revnue"}})
	if len(got) != 2 || got[0].Undefined != "" || got[1].Undefined != `unknown indicator "revnue"` || got[1].Points != 0 || got[1].R.Valid {
		t.Errorf("an unknown KPI: %+v", got)
	}
	got = Correlate(res, Def{BusinessResult: "revnue", Indicators: []string{"leads"}})
	if len(got) != 1 || got[0].Undefined != `unknown indicator "revnue"` {
		t.Errorf("an unknown business result: %+v", got)
	}
}

// TestSummarizeProperties: over any rows, the counts add up (achieved,
// failed and open to the instances; the tallies by goal, type and period to
// the total), the shares lie in [0, 1] and add up to exactly 1, each within
// 1e-16 of its count's quotient, drafts are left out, medians lie between
// the least and the greatest value, and a unit counts the rows of its own
// and its members'.
func TestSummarizeProperties(t *testing.T) {
	cal := enginetest.Calendar(t, "Europe/Berlin")
	month := goal.PeriodDef{From: d("2025-01-01"), Every: period.Month}
	s := mustCompile(t, cal, enginetest.SalesIndicators,
		goal.Def{ID: "g0", Indicator: "won", Target: dp("1"), Period: month, Participants: goal.ParticipantsDef{Company: true}},
		goal.Def{ID: "g1", Indicator: "won", Target: dp("1"), Period: month, Participants: goal.ParticipantsDef{Company: true}},
		goal.Def{ID: "g2", Indicator: "won", Target: dp("1"), Period: month, Participants: goal.ParticipantsDef{Company: true}})
	dir := enginetest.Directory(
		[]org.Unit{{ID: "sales"}, {ID: "east", Parent: "sales"}, {ID: "support"}},
		[]org.Membership{{User: "anna", Unit: "east"}, {User: "boris", Unit: "sales", To: d("2025-02-01")}, {User: "vera", Unit: "support"}},
	)
	o, err := org.Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	// inUnit is the membership above, by hand: anna is in east (so in
	// sales), boris in sales in January only, vera in support.
	inUnit := func(unit string, r goal.Row) bool {
		switch r.Kind {
		case goal.Team:
			return r.Participant == unit || (unit == "sales" && r.Participant == "east")
		case goal.User:
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
		rows := make([]goal.Row, n)
		for i := range rows {
			r := goal.Row{Goal: rapid.SampledFrom([]string{"g0", "g1", "g2"}).Draw(rt, "goal"),
				Status: rapid.SampledFrom([]goal.Status{goal.NotStarted, goal.OnTrack, goal.AtRisk, goal.OffTrack, goal.Achieved, goal.Failed}).Draw(rt, "status"),
				State:  rapid.SampledFrom([]goal.State{goal.StateActive, goal.StateActive, goal.StateActive, goal.StateDraft}).Draw(rt, "state"),
				Period: rapid.SampledFrom(periods).Draw(rt, "period")}
			r.Label = cal.Label(r.Period)
			switch rapid.IntRange(0, 2).Draw(rt, "kind") {
			case 0:
				r.Kind, r.Participant = goal.User, rapid.SampledFrom([]string{"anna", "boris", "vera", "dora"}).Draw(rt, "user")
			case 1:
				r.Kind, r.Participant = goal.Team, rapid.SampledFrom([]string{"sales", "east", "support"}).Draw(rt, "team")
			default:
				r.Kind, r.Participant = goal.Company, "*"
			}
			if rapid.Bool().Draw(rt, "checklist") {
				r.Items = []goal.ItemProgress{{ID: "x"}}
			}
			if rapid.Bool().Draw(rt, "achievement") {
				r.Achievement.Uncapped = decimal.NewNullDecimal(decimal.New(rapid.Int64Range(0, 5000).Draw(rt, "ach"), -3))
			}
			if r.Status == goal.Achieved && rapid.Bool().Draw(rt, "timed") {
				start, end := cal.Bounds(r.Period)
				r.AchievedAt = start.Add(time.Duration(rapid.Int64Range(0, int64(end.Sub(start))).Draw(rt, "ns")))
			}
			rows[i] = r
		}
		st := Summarize(s, pointers(rows), o)
		var live []goal.Row
		for _, r := range rows {
			if r.State != goal.StateDraft {
				live = append(live, r)
			}
		}
		checkTally := func(name string, tl Tally, rows []goal.Row) {
			var ach, fail, timed int
			var achs []decimal.Decimal
			for _, r := range rows {
				switch r.Status {
				case goal.Achieved:
					ach++
				case goal.Failed:
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
				if want := percentileCont(achs, big.NewRat(1, 2)); tl.AchievementMedian.Decimal.Rat().Cmp(want) != 0 {
					rt.Fatalf("%s: median achievement %s, want %s", name, tl.AchievementMedian.Decimal, want.FloatString(6))
				}
			}
			if d := tl.TimeToAchievement; d.Instances > 0 {
				if d.Median.Decimal.LessThan(d.Min.Decimal) || d.Median.Decimal.GreaterThan(d.P90.Decimal) || d.P90.Decimal.GreaterThan(d.Max.Decimal) || d.Min.Decimal.IsNegative() {
					rt.Fatalf("%s: times %v ≤ %v ≤ %v ≤ %v", name, d.Min, d.Median, d.P90, d.Max)
				}
				// The seconds from each instance's local midnight to its
				// instant, exact to the nanosecond.
				var secs []decimal.Decimal
				for _, r := range rows {
					if !r.AchievedAt.IsZero() {
						start := cal.Midnight(r.Period.Start)
						secs = append(secs, decimal.New(r.AchievedAt.Sub(start).Nanoseconds(), -9))
					}
				}
				for _, c := range []struct {
					got  decimal.NullDecimal
					want *big.Rat
				}{
					{d.Min, percentileCont(secs, big.NewRat(0, 1))}, {d.Median, percentileCont(secs, big.NewRat(1, 2))},
					{d.P90, percentileCont(secs, big.NewRat(9, 10))}, {d.Max, percentileCont(secs, big.NewRat(1, 1))},
				} {
					if c.got.Decimal.Rat().Cmp(c.want) != 0 {
						rt.Fatalf("%s: time %s, want %s", name, c.got.Decimal, c.want.FloatString(9))
					}
				}
			}
		}
		checkTally("total", st.Total, live)
		sums := map[string]int{}
		for _, tl := range st.ByGoal {
			checkTally("goal "+tl.Goal, tl, keep(live, func(r goal.Row) bool { return r.Goal == tl.Goal }))
			sums["goal"] += tl.Instances
		}
		for i, tl := range st.ByKind {
			checkTally("kind "+string(tl.Kind), tl, keep(live, func(r goal.Row) bool { return r.Kind == tl.Kind }))
			sums["kind"] += tl.Instances
			if i > 0 && slices.Index([]goal.ParticipantKind{goal.User, goal.Team, goal.Company}, tl.Kind) <= slices.Index([]goal.ParticipantKind{goal.User, goal.Team, goal.Company}, st.ByKind[i-1].Kind) {
				rt.Fatalf("kinds out of order")
			}
		}
		for _, tl := range st.ByType {
			checkTally("type "+tl.Type, tl, keep(live, func(r goal.Row) bool { return (len(r.Items) > 0) == (tl.Type == Qualitative) }))
			sums["type"] += tl.Instances
		}
		for i, tl := range st.ByPeriod {
			checkTally("period "+tl.Label, tl, keep(live, func(r goal.Row) bool { return r.Period == tl.Period }))
			sums["period"] += tl.Instances
			if i > 0 && tl.Period.Start <= st.ByPeriod[i-1].Period.Start {
				rt.Fatalf("periods out of order")
			}
			if i > 0 && (tl.AchievedShareChange.Valid != (st.ByPeriod[i-1].Period.End == tl.Period.Start) ||
				tl.AchievedShareChange.Valid && !tl.AchievedShareChange.Decimal.Equal(tl.AchievedShare.Decimal.Sub(st.ByPeriod[i-1].AchievedShare.Decimal))) {
				rt.Fatalf("period %s: change %v", tl.Label, tl.AchievedShareChange)
			}
		}
		for _, k := range []string{"goal", "type", "kind", "period"} {
			if sums[k] != len(live) {
				rt.Fatalf("the tallies by %s count %d rows of %d", k, sums[k], len(live))
			}
		}
		var teams []string
		for _, tl := range st.ByTeam {
			teams = append(teams, tl.Team)
			checkTally("team "+tl.Team, tl, keep(live, func(r goal.Row) bool { return inUnit(tl.Team, r) }))
		}
		for _, u := range []string{"sales", "east", "support"} {
			if !slices.Contains(teams, u) && len(keep(live, func(r goal.Row) bool { return inUnit(u, r) })) > 0 {
				rt.Fatalf("no tally for %s", u)
			}
		}
		if Summarize(s, pointers(rows), nil).ByTeam != nil {
			rt.Fatalf("team tallies without an organisation")
		}
	})
}

// percentileCont is PostgreSQL's percentile_cont, in exact rationals: the
// value at the position p × (n − 1) of the sorted values, linear between
// its neighbours.
func percentileCont(xs []decimal.Decimal, p *big.Rat) *big.Rat {
	s := slices.SortedFunc(slices.Values(xs), decimal.Decimal.Cmp)
	pos := new(big.Rat).Mul(p, big.NewRat(int64(len(s)-1), 1))
	i := new(big.Int).Quo(pos.Num(), pos.Denom()).Int64()
	out := s[i].Rat()
	if frac := new(big.Rat).Sub(pos, big.NewRat(i, 1)); frac.Sign() > 0 {
		out.Add(out, frac.Mul(frac, new(big.Rat).Sub(s[i+1].Rat(), s[i].Rat())))
	}
	return out
}

// pointers returns pointers to the rows, as a goal.Result holds them.
func pointers(rows []goal.Row) []*goal.Row {
	out := make([]*goal.Row, len(rows))
	for i := range rows {
		out[i] = &rows[i]
	}
	return out
}

func keep(rows []goal.Row, ok func(goal.Row) bool) []goal.Row {
	var out []goal.Row
	for _, r := range rows {
		if ok(r) {
			out = append(out, r)
		}
	}
	return out
}

// An instance met without a ratio (a lower-is-better goal met at zero)
// counts in the median achievement as its target met, 1, not left out.
func TestMedianAchievementMetAtZero(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	s := mustCompile(t, cal, enginetest.SalesIndicators,
		goal.Def{ID: "g", Indicator: "won", Target: dp("1"), Period: goal.PeriodDef{From: d("2025-01-01"), Every: period.Month}, Participants: goal.ParticipantsDef{Company: true}})
	p := cal.Containing(period.Month, d("2025-01-01"))
	row := func(who, uncapped string, met bool) goal.Row {
		r := goal.Row{Goal: "g", Kind: goal.User, Participant: who, Period: p, Status: goal.OnTrack}
		if uncapped != "" {
			r.Achievement.Uncapped = nd(uncapped)
		}
		r.Achievement.Met = met
		return r
	}
	for _, c := range []struct {
		name   string
		rows   []goal.Row
		median string
	}{
		// 0.5, 0.8 and 1: the middle one.
		{"met at zero", []goal.Row{row("anna", "0.5", false), row("boris", "0.8", false), row("vera", "", true)}, "0.8"},
		// 0.5 and 1.
		{"one defined", []goal.Row{row("anna", "0.5", false), row("vera", "", true)}, "0.75"},
		// Neither a ratio nor met: left out.
		{"undefined", []goal.Row{row("anna", "0.5", false), row("vera", "", false)}, "0.5"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := str(Summarize(s, pointers(c.rows), nil).Total.AchievementMedian); got != c.median {
				t.Errorf("median %s, want %s", got, c.median)
			}
		})
	}
}

package goal

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// accrueCase is a case of accrue: its contributions, in time order, met
// for good at want (zero: not met).
type accrueCase struct {
	name    string
	agg     kpi.Aggregate
	target  string
	contrib []kpi.Contribution
	want    time.Time
}

func TestAccrue(t *testing.T) {
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return start.Add(time.Duration(h) * time.Hour) }
	c := func(h int, v string) kpi.Contribution { return kpi.Contribution{Time: at(h), Value: v} }
	for _, tt := range []accrueCase{
		{"the third of four", kpi.Count, "3", []kpi.Contribution{c(1, ""), c(2, ""), c(3, ""), c(4, "")}, at(3)},
		{"two at one instant", kpi.Count, "2", []kpi.Contribution{c(1, ""), c(5, ""), c(5, "")}, at(5)},
		{"met with no event", kpi.Count, "0", []kpi.Contribution{c(1, "")}, start},
		{"met by events before the start", kpi.Count, "2", []kpi.Contribution{c(-50, ""), c(-2, ""), c(3, "")}, start},
		{"met after the start with events before it", kpi.Count, "3", []kpi.Contribution{c(-50, ""), c(-2, ""), c(3, "")}, at(3)},
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
		t.Run(tt.name, func(t *testing.T) { checkAccrue(t, tt, decimal.Decimal{}, start) })
	}
}

// TestAchievedAtByHand: a count, a sum, a team's total with a member who
// joined mid-month, the company's, a checklist and a level.
func TestAchievedAtByHand(t *testing.T) {
	cal := enginetest.Calendar(t, "Europe/Berlin")
	inds := append(slices.Clone(enginetest.SalesIndicators), kpi.IndicatorDef{ID: "avg_deal", Kinds: []string{"deal.won"}, Aggregate: "avg", Value: "amount"})
	month := PeriodDef{From: d("2025-03-01"), Every: period.Month}
	s := mustCompile(t, cal, inds,
		Def{ID: "won2", Indicator: "won", Target: dp("2"), Period: month, Participants: ParticipantsDef{Users: []string{"anna", "boris"}}},
		Def{ID: "rev", Indicator: "revenue", Target: dp("100"), Period: month, Participants: ParticipantsDef{Teams: []string{"sales"}, Company: true}},
		Def{ID: "avg", Indicator: "avg_deal", Target: dp("10"), Period: month, Participants: ParticipantsDef{Users: []string{"anna"}}},
		Def{ID: "onboard", Checklist: []ItemDef{{ID: "course", Kinds: []string{"training.completed"}}, {ID: "talk", Manual: true}},
			Period: month, Participants: ParticipantsDef{Users: []string{"anna", "boris"}}})
	won := func(id, actor, when, amount string) kpi.Event {
		e := ev(id, "deal.won", actor, enginetest.At(cal, when))
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
		ev("t1", "training.completed", "anna", enginetest.At(cal, "2025-03-05 12:00")),
		ev("t2", "training.completed", "boris", enginetest.At(cal, "2025-03-06 12:00")),
	}
	dir := enginetest.Directory(
		[]org.Unit{{ID: "sales"}},
		[]org.Membership{{User: "anna", Unit: "sales"}, {User: "boris", Unit: "sales", From: d("2025-03-10")}},
	)
	res := evaluate(t, s, src, Request{AsOf: enginetest.At(cal, "2025-03-31 12:00"), From: d("2025-03-01"), To: d("2025-04-01"), Org: loadOrg(t, dir),
		AchievedAt: true, Marks: []Mark{{Goal: "onboard", Item: "talk", Participant: "anna", Time: enginetest.At(cal, "2025-03-07 09:00")}}})
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
			want = enginetest.At(cal, tt.want)
		}
		if !r.AchievedAt.Equal(want) {
			t.Errorf("%s/%s (%s): achieved at %v, want %v", tt.goal, tt.participant, r.Status, r.AchievedAt, want)
		}
	}
	// Not asked for: never set.
	res = evaluate(t, s, src, Request{AsOf: enginetest.At(cal, "2025-03-31 12:00"), From: d("2025-03-01"), To: d("2025-04-01"), Org: loadOrg(t, dir)})
	for _, r := range res.Rows {
		if !r.AchievedAt.IsZero() {
			t.Errorf("%s/%s: achieved at %v without asking", r.Goal, r.Participant, r.AchievedAt)
		}
	}
}

// TestAchievedAtOfWindowedIndicator: a goal on a year-to-date count, for
// a person, a team and the company. The months before the instance count
// towards its actual, so a target they meet is met at the instance's first
// instant (never before it), and one met by a later event at that event,
// for a team's or the company's row too.
func TestAchievedAtOfWindowedIndicator(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	inds := []kpi.IndicatorDef{{ID: "leads_ytd", Kinds: []string{"lead.created"}, Aggregate: "count", ToDate: "year"}}
	month := PeriodDef{From: d("2025-03-01"), Every: period.Month}
	who := ParticipantsDef{Users: []string{"anna"}, Teams: []string{"sales"}, Company: true}
	s := mustCompile(t, cal, inds, Def{ID: "ytd2", Indicator: "leads_ytd", Target: dp("2"), Period: month, Participants: who},
		Def{ID: "ytd3", Indicator: "leads_ytd", Target: dp("3"), Period: month, Participants: who})
	lead := func(id, when string) kpi.Event { return ev(id, "lead.created", "anna", enginetest.At(cal, when)) }
	src := events{lead("jan", "2025-01-10 10:00"), lead("feb", "2025-02-14 10:00"), lead("mar", "2025-03-03 10:00")}
	req := march(cal, "2025-03-05 12:00")
	req.AchievedAt = true
	req.Org = loadOrg(t, enginetest.Directory([]org.Unit{{ID: "sales"}}, []org.Membership{{User: "anna", Unit: "sales"}}))
	res := evaluate(t, s, src, req)
	want := map[string]time.Time{"ytd2": enginetest.At(cal, "2025-03-01 00:00"), "ytd3": enginetest.At(cal, "2025-03-03 10:00")}
	for _, r := range res.Rows {
		if r.Status != Achieved || !r.AchievedAt.Equal(want[r.Goal]) {
			t.Errorf("%s/%s: %s (actual %s), achieved at %v; want achieved at %v", r.Goal, r.Participant, r.Status, str(r.Actual), r.AchievedAt, want[r.Goal])
		}
	}
	if len(res.Rows) != 6 {
		t.Fatalf("%d rows, want 6", len(res.Rows))
	}
}

// TestAchievedAtProperties: for counts and sums of non-negative amounts, by
// a person, a team whose membership changes and the company, AchievedAt is
// the instant the goal's own status turns achieved: the row is achieved
// as of AchievedAt and not a nanosecond before; for a person's count it is
// the time of the target-th event, counted by hand. Versions known at an
// instant (KnownAt) give the same instants as the events then.
func TestAchievedAtProperties(t *testing.T) {
	cal := enginetest.Calendar(t, "America/New_York")
	month := PeriodDef{From: d("2025-10-01"), Every: period.Month}
	dir := enginetest.Directory(
		[]org.Unit{{ID: "sales"}},
		[]org.Membership{{User: "anna", Unit: "sales", To: d("2025-11-15")}, {User: "boris", Unit: "sales", From: d("2025-11-10")}},
	)
	o := loadOrg(t, dir)
	defer func(n int) { chunkEvents = n }(chunkEvents)
	rapid.Check(t, func(rt *rapid.T) {
		chunkEvents = rapid.IntRange(1, 50).Draw(rt, "events a table")
		k := rapid.IntRange(1, 4).Draw(rt, "target")
		s := mustCompile(t, cal, enginetest.SalesIndicators,
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
			if st := rowStatusAt(rt, s, tab, req, r.Goal, r.Participant, r.AchievedAt); st != Achieved {
				rt.Fatalf("%s/%s: %s as of its achievement %v", r.Goal, r.Participant, st, r.AchievedAt)
			}
			if r.AchievedAt.After(start) {
				if st := rowStatusAt(rt, s, tab, req, r.Goal, r.Participant, r.AchievedAt.Add(-time.Nanosecond)); st == Achieved {
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

// farContributions raises decimal.MaxDecodeExponent for the test (values
// near 10^±2147483647 are read as text) and returns the start of a
// period, the instant h hours after it and a contribution of v then.
func farContributions(t *testing.T) (time.Time, func(h int) time.Time, func(h int, v string) kpi.Contribution) {
	saved := decimal.MaxDecodeExponent
	decimal.MaxDecodeExponent = math.MaxInt32
	t.Cleanup(func() { decimal.MaxDecodeExponent = saved })
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return start.Add(time.Duration(h) * time.Hour) }
	return start, at, func(h int, v string) kpi.Contribution { return kpi.Contribution{Time: at(h), Value: v} }
}

// A mean of values near 10^-2147483648 whose quotient has no decimal's
// 32-bit exponent is undefined and meets no target: the mean of -1e-2147483647,
// -1e-2147483647 and -2e-2147483647 is -1.33…e-2147483647, below 0 (its 16th
// digit below 10^-2147483648), which accrue took for 0 and so for a target
// of 0 met. Hand counts. The values are read as text, past
// decimal.MaxDecodeExponent's 10000 only where a host raises it, as this
// test does (not in parallel with others).
func TestAccrueAverageOfFarExponents(t *testing.T) {
	start, at, c := farContributions(t)
	for _, tt := range []struct {
		name    string
		target  string
		contrib []kpi.Contribution
		want    time.Time // zero: not met
	}{
		{"a mean below 0 past 32 bits", "0", []kpi.Contribution{c(1, "-1e-2147483647"), c(2, "-1e-2147483647"), c(3, "-2e-2147483647")}, time.Time{}},
		// 1.33…e-2147483647 is above 0, but undefined: met until then.
		{"a mean above 0 past 32 bits", "0", []kpi.Contribution{c(1, "1e-2147483647"), c(2, "1e-2147483647"), c(3, "2e-2147483647")}, time.Time{}},
		{"a mean of 5e-2147483648", "0", []kpi.Contribution{c(1, "3e-2147483647"), c(2, "-2e-2147483647")}, at(1)},
		{"an exact mean at the end", "2e-2147483647", []kpi.Contribution{c(1, "1e-2147483647"), c(2, "3e-2147483647")}, at(2)},
		{"a mean near 10^2147483647", "2e2147483647", []kpi.Contribution{c(1, "1e2147483647"), c(2, "3e2147483647")}, at(2)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := accrue(kpi.Avg, decimal.Decimal{}, tt.contrib, nd(tt.target), start)
			if err != nil {
				t.Fatal(err)
			}
			if ok != !tt.want.IsZero() || (ok && !got.Equal(tt.want)) {
				t.Errorf("accrue = %v, %v; want %v", got, ok, tt.want)
			}
		})
	}
}

// A min, max, sum or mean of values far apart in exponent is told at
// once: min and max compare them by orders of magnitude, where LessThan
// scaled 1e-2147483647 to 1e2147483647's exponent and never returned; a
// sum (and so a mean) of values more than 100,000 places apart is
// undefined and meets no target, where Add never returned; a zero adds
// nothing whatever its exponent. Hand counts; each case fails after 5 s.
func TestAccrueOfFarExponents(t *testing.T) {
	start, at, c := farContributions(t)
	tiny, huge := "1e-2147483647", "1e2147483647"
	for _, tt := range []accrueCase{
		{"the max rises to 10^2147483647", kpi.Max, huge, []kpi.Contribution{c(1, tiny), c(2, huge)}, at(2)},
		{"the max stays at 10^2147483647", kpi.Max, huge, []kpi.Contribution{c(1, huge), c(2, tiny)}, at(1)},
		{"the min falls to 10^-2147483647", kpi.Min, "2e-2147483647", []kpi.Contribution{c(1, huge), c(2, tiny)}, time.Time{}},
		{"the min stays at 10^-2147483647", kpi.Min, tiny, []kpi.Contribution{c(1, tiny), c(2, huge)}, at(1)},
		{"a sum of 10^-2147483647 and 10^2147483647", kpi.Sum, "0", []kpi.Contribution{c(1, tiny), c(2, huge)}, time.Time{}},
		{"a mean of 10^2147483647 and 10^-2147483647", kpi.Avg, "0", []kpi.Contribution{c(1, huge), c(2, tiny)}, time.Time{}},
		{"a zero of exponent -2147483647 adds nothing", kpi.Sum, "5", []kpi.Contribution{c(1, "5"), c(2, "0e-2147483647")}, at(1)},
		{"a sum after a zero of exponent 2147483647", kpi.Sum, "5", []kpi.Contribution{c(1, "0e2147483647"), c(2, "5")}, at(2)},
		// 10^50000 + 10^-50000, exactly: 100,001 digits.
		{"a sum 100,000 places apart", kpi.Sum, "1e50000", []kpi.Contribution{c(1, "1e-50000"), c(2, "1e50000")}, at(2)},
		{"a mean 100,000 places apart", kpi.Avg, "5e49999", []kpi.Contribution{c(1, "1e-50000"), c(2, "1e50000")}, at(2)},
		{"a mean 100,002 places apart", kpi.Avg, "0", []kpi.Contribution{c(1, "1e-50001"), c(2, "1e50001")}, time.Time{}},
	} {
		t.Run(tt.name, func(t *testing.T) { checkAccrue(t, tt, decimal.Decimal{}, start) })
	}
}

// checkAccrue fails the test unless accrue of tt's contributions (with
// the percentile p) returns tt.want within 5 s.
func checkAccrue(t *testing.T, tt accrueCase, p decimal.Decimal, start time.Time) {
	t.Helper()
	type answer struct {
		at  time.Time
		ok  bool
		err error
	}
	a := returnsIn5s(t, "accrue", func() answer {
		got, ok, err := accrue(tt.agg, p, tt.contrib, nd(tt.target), start)
		return answer{got, ok, err}
	})
	if a.err != nil {
		t.Fatal(a.err)
	}
	if a.ok != !tt.want.IsZero() || (a.ok && !a.at.Equal(tt.want)) {
		t.Errorf("accrue = %v, %v; want %v", a.at, a.ok, tt.want)
	}
}

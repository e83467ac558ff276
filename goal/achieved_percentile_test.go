package goal

import (
	"context"
	"fmt"
	"math/big"
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

// A cumulative goal on a median or a percentile is achieved at the instant
// from which the running percentile (percentile_cont of the amounts so
// far) meets its target, not the running mean's; for a person, a team and
// the company alike. Hand counts of anna's deals, won at 10, 1, 1, 8, 9 on
// the 3rd, 5th, 7th, 10th and 12th of March:
//
//	after     sorted           median  mean  p90 (h = 0.9·(n−1))
//	3rd       10               10      10    10
//	5th       1 10             5.5     5.5   1 + 0.9·9 = 9.1
//	7th       1 1 10           1       4     h 1.8: 1 + 0.8·9 = 8.2
//	10th      1 1 8 10         4.5     5     h 2.7: 8 + 0.7·2 = 9.4
//	12th      1 1 8 9 10       8       5.8   h 3.6: 9 + 0.6·1 = 9.6
//
// The median meets 5 from the 12th for good (the mean from the 10th); the
// 90th percentile meets 9 from the 10th (the mean never does).
func TestAchievedAtOfPercentile(t *testing.T) {
	cal := enginetest.Calendar(t, "Europe/Berlin")
	inds, defs := percentileGoals()
	checkPercentileAchieved(t, cal, mustCompile(t, cal, inds, defs...))
}

// percentileGoals are TestAchievedAtOfPercentile's indicators, a median
// and a 90th percentile of the amounts of deals won, and its goals on
// them, for anna, her team and the company.
func percentileGoals() ([]kpi.IndicatorDef, []Def) {
	inds := []kpi.IndicatorDef{
		{ID: "median_deal", Kinds: []string{"deal.won"}, Aggregate: kpi.Median, Value: "amount"},
		{ID: "p90_deal", Kinds: []string{"deal.won"}, Aggregate: kpi.Percentile, P: dp("0.9"), Value: "amount"},
	}
	month := PeriodDef{From: d("2025-03-01"), Every: period.Month}
	who := ParticipantsDef{Users: []string{"anna"}, Teams: []string{"sales"}, Company: true}
	return inds, []Def{
		{ID: "median", Indicator: "median_deal", Measure: Cumulative, Target: dp("5"), Period: month, Participants: who},
		{ID: "p90", Indicator: "p90_deal", Measure: Cumulative, Target: dp("9"), Period: month, Participants: who}}
}

// checkPercentileAchieved evaluates s, percentileGoals compiled in cal,
// over anna's deals and checks each row's actual and instant against
// TestAchievedAtOfPercentile's hand counts.
func checkPercentileAchieved(t *testing.T, cal *period.Calendar, s *Set) {
	t.Helper()
	won := func(id, when, amount string) kpi.Event {
		e := ev(id, "deal.won", "anna", enginetest.At(cal, when))
		e.Amount = nd(amount)
		return e
	}
	src := events{
		won("w1", "2025-03-03 10:00", "10"),
		won("w2", "2025-03-05 10:00", "1"),
		won("w3", "2025-03-07 10:00", "1"),
		won("w4", "2025-03-10 10:00", "8"),
		won("w5", "2025-03-12 10:00", "9"),
		ev("c1", "deal.created", "boris", enginetest.At(cal, "2025-03-11 10:00")),
	}
	req := march(cal, "2025-03-31 12:00")
	req.AchievedAt = true
	req.Org = loadOrg(t, enginetest.Directory([]org.Unit{{ID: "sales"}}, []org.Membership{{User: "anna", Unit: "sales"}, {User: "boris", Unit: "sales"}}))
	res := evaluate(t, s, src, req)
	want := map[string]time.Time{"median": enginetest.At(cal, "2025-03-12 10:00"), "p90": enginetest.At(cal, "2025-03-10 10:00")}
	actual := map[string]string{"median": "8", "p90": "9.6"}
	for _, r := range res.Rows {
		if r.Status != Achieved || str(r.Actual) != actual[r.Goal] || !r.AchievedAt.Equal(want[r.Goal]) {
			t.Errorf("%s/%s: %s (actual %s), achieved at %v; want achieved (actual %s) at %v", r.Goal, r.Participant, r.Status, str(r.Actual), r.AchievedAt, actual[r.Goal], want[r.Goal])
		}
	}
	if len(res.Rows) != 6 {
		t.Fatalf("%d rows, want 6", len(res.Rows))
	}
}

// accrue's running percentile, by hand: values of one instant count
// together; p 0 and 1 are the least and greatest value.
func TestAccruePercentile(t *testing.T) {
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return start.Add(time.Duration(h) * time.Hour) }
	c := func(h int, v string) kpi.Contribution { return kpi.Contribution{Time: at(h), Value: v} }
	for _, tt := range []struct {
		accrueCase
		p string
	}{
		// [1 9] 5 (met), [1 3 9] 3: not met at the end.
		{accrueCase{"a median that falls back", kpi.Median, "5", []kpi.Contribution{c(1, "1"), c(1, "9"), c(2, "3")}, time.Time{}}, "0.5"},
		// [1] 1, then 9 and 7 together: [1 7 9] 7 (9 alone would give 5).
		{accrueCase{"two at one instant", kpi.Median, "7", []kpi.Contribution{c(1, "1"), c(2, "9"), c(2, "7")}, at(2)}, "0.5"},
		// [4] 4, [2 4] 3, [2 4 6] 4, [2 4 6 8] 5 (met), [2 4 6 8 9] 6.
		{accrueCase{"an even count", kpi.Median, "5", []kpi.Contribution{c(1, "4"), c(2, "2"), c(3, "6"), c(4, "8"), c(5, "9")}, at(4)}, "0.5"},
		// Of 3, 1, 2: least 3 (met), 1, 1.
		{accrueCase{"p 0 is the least", kpi.Percentile, "2", []kpi.Contribution{c(1, "3"), c(2, "1"), c(3, "2")}, time.Time{}}, "0"},
		// Greatest 1, 3 (met), 3.
		{accrueCase{"p 1 is the greatest", kpi.Percentile, "2", []kpi.Contribution{c(1, "1"), c(2, "3"), c(3, "2")}, at(2)}, "1"},
		// p 0.25 of [1 2 3 10 20] (h 1): 2; of [-5 1 2 3 10 20] (h 1.25):
		// 1 + 0.25·1 = 1.25, met at the last event.
		{accrueCase{"a quartile", kpi.Percentile, "1.25", []kpi.Contribution{c(1, "20"), c(1, "10"), c(1, "1"), c(1, "2"), c(1, "3"), c(2, "-5")}, at(1)}, "0.25"},
		{accrueCase{"the median of nothing is undefined", kpi.Median, "-1", nil, time.Time{}}, "0.5"},
		// Decimals: [0.25 0.5] 0.375, met before the start.
		{accrueCase{"met before the start", kpi.Median, "0.375", []kpi.Contribution{c(-3, "0.25"), c(-1, "0.5")}, start}, "0.5"},
	} {
		t.Run(tt.name, func(t *testing.T) { checkAccrue(t, tt.accrueCase, dec(tt.p), start) })
	}
}

// A running percentile of values far apart in exponent is told at once:
// they are placed by orders of magnitude, an interpolation's step between
// values more than 100,000 places apart is undefined and meets no target,
// and a share of a difference below 10^-2147483648 (where Mul panics) is
// written when its digits allow, else undefined. Hand counts; each case
// fails after 5 s.
func TestAccruePercentileOfFarExponents(t *testing.T) {
	start, at, c := farContributions(t)
	tiny, huge := "1e-2147483647", "1e2147483647"
	for _, tt := range []struct {
		accrueCase
		p string
	}{
		// The middle of three is 10^-2147483647, no interpolation.
		{accrueCase{"a median of three far apart", kpi.Median, tiny, []kpi.Contribution{c(1, huge), c(2, tiny), c(3, tiny)}, at(3)}, "0.5"},
		{accrueCase{"a median between 10^-2147483647 and 10^2147483647", kpi.Median, "0", []kpi.Contribution{c(1, tiny), c(2, huge)}, time.Time{}}, "0.5"},
		// (10^-50000 + 10^50000) / 2, exactly: 5e49999 + 5e-50001.
		{accrueCase{"a median 100,000 places apart", kpi.Median, "5e49999", []kpi.Contribution{c(1, "1e-50000"), c(2, "1e50000")}, at(2)}, "0.5"},
		{accrueCase{"a median 100,002 places apart", kpi.Median, "0", []kpi.Contribution{c(1, "1e-50001"), c(2, "1e50001")}, time.Time{}}, "0.5"},
		// 1e-2147483647 + 0.25 × 4e-2147483647: 100e-2147483649, written
		// 10e-2147483648; 2e-2147483647 in all.
		{accrueCase{"a share written at the least exponent", kpi.Percentile, "2e-2147483647", []kpi.Contribution{c(1, tiny), c(2, "5e-2147483647")}, at(2)}, "0.25"},
		// 0.25 × 1e-2147483647 is 25e-2147483649: no 32-bit exponent, so
		// undefined after the second value (met after the first).
		{accrueCase{"a share past the least exponent", kpi.Percentile, "0", []kpi.Contribution{c(1, tiny), c(2, "2e-2147483647")}, time.Time{}}, "0.25"},
		// 0 + 0.5 × 4 = 2, the zero's exponent far from the share's.
		{accrueCase{"a zero of a far exponent", kpi.Median, "2", []kpi.Contribution{c(1, "0e-2147483647"), c(2, "4")}, at(2)}, "0.5"},
		// 5 + 0.5 × (5.0 − 5) = 5.
		{accrueCase{"equal neighbours", kpi.Median, "5", []kpi.Contribution{c(1, "5"), c(2, "5.0")}, at(1)}, "0.5"},
	} {
		t.Run(tt.name, func(t *testing.T) { checkAccrue(t, tt.accrueCase, dec(tt.p), start) })
	}
}

// accrue's instant for a median or percentile is the reference's: after
// each instant (the values of one instant together) the prefix is sorted
// and its percentile_cont computed with big.Rat, and the instant is the
// first from which it meets the target to the end (the start when that is
// before any value or before the start). Small integers and decimals,
// ties in value and in time, targets often one of the running values.
func TestAccruePercentileProperties(t *testing.T) {
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	rapid.Check(t, func(rt *rapid.T) {
		// Of more than 18 places, p is placed in decimals, not in 64 bits.
		p := rapid.SampledFrom([]decimal.Decimal{dec("0"), dec("0.5"), dec("0.9"), dec("1"), dec("0.50000000000000000001"),
			decimal.New(int64(rapid.IntRange(0, 1000).Draw(rt, "p thousandths")), -3),
			decimal.New(rapid.Int64Range(0, 1e18).Draw(rt, "p of 18 places"), -18),
			decimal.New(rapid.Int64Range(0, 1e18).Draw(rt, "p of 20 places"), -20)}).Draw(rt, "p")
		agg := kpi.Percentile
		if p.Equal(dec("0.5")) && rapid.Bool().Draw(rt, "median") {
			agg = kpi.Median
		}
		var contribs []kpi.Contribution
		var vals []*big.Rat
		for range rapid.IntRange(0, 30).Draw(rt, "values") {
			v := decimal.New(int64(rapid.IntRange(-30, 30).Draw(rt, "value")), -int32(rapid.IntRange(0, 2).Draw(rt, "places")))
			at := start.Add(time.Duration(rapid.IntRange(-3, 12).Draw(rt, "hour")) * time.Hour)
			contribs = append(contribs, kpi.Contribution{Time: at, Value: v.String()})
		}
		slices.SortStableFunc(contribs, func(a, b kpi.Contribution) int { return a.Time.Compare(b.Time) })
		// The percentile after each instant (nil: undefined, before any).
		running := []*big.Rat{nil}
		times := []time.Time{start}
		for i := 0; i < len(contribs); {
			at := contribs[i].Time
			for ; i < len(contribs) && contribs[i].Time.Equal(at); i++ {
				r, ok := new(big.Rat).SetString(contribs[i].Value)
				if !ok {
					rt.Fatalf("value %q", contribs[i].Value)
				}
				vals = append(vals, r)
			}
			running = append(running, percentileCont(vals, p.Rat()))
			times = append(times, at)
		}
		var target decimal.Decimal
		if k := rapid.IntRange(0, len(running)-1).Draw(rt, "target of"); running[k] != nil && rapid.Bool().Draw(rt, "a running value") {
			target = dec(running[k].FloatString(25)) // exact: values of 2 places, p of up to 20
		} else {
			target = decimal.New(int64(rapid.IntRange(-40, 40).Draw(rt, "target")), -int32(rapid.IntRange(0, 2).Draw(rt, "target places")))
		}
		// The first instant from which every later one meets the target.
		first := len(running)
		for k := len(running) - 1; k >= 0 && running[k] != nil && running[k].Cmp(target.Rat()) >= 0; k-- {
			first = k
		}
		got, ok, err := accrue(agg, p, contribs, decimal.NewNullDecimal(target), start)
		if err != nil {
			rt.Fatal(err)
		}
		if first == len(running) {
			if ok {
				rt.Fatalf("met at %v, the reference never for good", got)
			}
			return
		}
		want := times[first]
		if want.Before(start) {
			want = start
		}
		if !ok || !got.Equal(want) {
			rt.Fatalf("accrue = %v, %v; the reference %v", got, ok, want)
		}
	})
}

// percentileCont is PostgreSQL's percentile_cont of vals, sorted here, at
// p: v[⌊h⌋] + (h − ⌊h⌋)·(v[⌊h⌋+1] − v[⌊h⌋]), h = p·(n − 1).
func percentileCont(vals []*big.Rat, p *big.Rat) *big.Rat {
	v := slices.SortedFunc(slices.Values(vals), (*big.Rat).Cmp)
	h := new(big.Rat).Mul(p, new(big.Rat).SetInt64(int64(len(v)-1)))
	k := new(big.Int).Quo(h.Num(), h.Denom()) // h ≥ 0: the floor
	frac := new(big.Rat).Sub(h, new(big.Rat).SetInt(k))
	lo := v[k.Int64()]
	if frac.Sign() == 0 {
		return lo
	}
	d := new(big.Rat).Sub(v[k.Int64()+1], lo)
	return d.Add(lo, d.Mul(d, frac))
}

// TestAchievedAtOfPercentileProperties: for cumulative median and
// percentile goals of a person, a team whose membership changes and the
// company, over deals with amounts of two places or none (a value kpi
// leaves out), some corrected or retracted, AchievedAt is set on the
// achieved rows only, the row is achieved as of it and at every event's
// instant after it, and not a nanosecond before it (unless it is the
// period's start): kpi's own percentile of the events then, judged by the
// goal's status, agrees with accrue's running one.
func TestAchievedAtOfPercentileProperties(t *testing.T) {
	cal := enginetest.Calendar(t, "Europe/Berlin")
	inds := []kpi.IndicatorDef{
		{ID: "median_deal", Kinds: []string{"deal.won"}, Aggregate: kpi.Median, Value: "amount"},
		{ID: "p90_deal", Kinds: []string{"deal.won"}, Aggregate: kpi.Percentile, P: dp("0.9"), Value: "amount"},
		{ID: "p25_deal", Kinds: []string{"deal.won"}, Aggregate: kpi.Percentile, P: dp("0.25"), Value: "amount"},
	}
	month := PeriodDef{From: d("2025-11-01"), Every: period.Month}
	who := ParticipantsDef{Users: []string{"anna", "boris"}, Teams: []string{"sales"}, Company: true}
	o := loadOrg(t, enginetest.Directory(
		[]org.Unit{{ID: "sales"}},
		[]org.Membership{{User: "anna", Unit: "sales", To: d("2025-11-15")}, {User: "boris", Unit: "sales", From: d("2025-11-10")}},
	))
	start, end := cal.Midnight(d("2025-11-01")), cal.Midnight(d("2025-12-01"))
	rapid.Check(t, func(rt *rapid.T) {
		target := func(name string) *decimal.Decimal {
			v := decimal.New(int64(rapid.IntRange(1, 2000).Draw(rt, name)), -1)
			return &v
		}
		s := mustCompile(t, cal, inds,
			Def{ID: "median", Indicator: "median_deal", Measure: Cumulative, Target: target("median target"), Period: month, Participants: who},
			Def{ID: "p90", Indicator: "p90_deal", Measure: Cumulative, Target: target("p90 target"), Period: month, Participants: who},
			Def{ID: "p25", Indicator: "p25_deal", Measure: Cumulative, Target: target("p25 target"), Period: month, Participants: who})
		var src events
		var instants []time.Time
		n := rapid.IntRange(0, 20).Draw(rt, "events")
		for i := range n {
			at := start.Add(time.Duration(rapid.IntRange(-24, 31*24).Draw(rt, "hour")) * time.Hour)
			e := ev(fmt.Sprint("e", i), "deal.won", rapid.SampledFrom([]string{"anna", "boris", "vera"}).Draw(rt, "actor"), at)
			if rapid.IntRange(0, 5).Draw(rt, "no amount") > 0 {
				e.Amount = decimal.NewNullDecimal(decimal.New(int64(rapid.IntRange(-50, 20000).Draw(rt, "amount")), -2))
			}
			src = append(src, e)
			instants = append(instants, at)
		}
		for range rapid.IntRange(0, 3).Draw(rt, "later versions") {
			if n == 0 {
				break
			}
			e := src[rapid.IntRange(0, n-1).Draw(rt, "of")]
			if rapid.Bool().Draw(rt, "retracted") {
				e = kpi.Event{ID: e.ID, Deleted: true}
			} else {
				e.Amount = decimal.NewNullDecimal(decimal.New(int64(rapid.IntRange(0, 20000).Draw(rt, "new amount")), -2))
			}
			src = append(src, e)
		}
		asOf := start.Add(time.Duration(rapid.IntRange(0, 31*24).Draw(rt, "as of hour"))*time.Hour + 30*time.Minute)
		req := Request{AsOf: asOf, From: d("2025-11-01"), To: d("2025-12-01"), Org: o, AchievedAt: true}
		tab := snapshot(s, src)
		res, err := s.Evaluate(context.Background(), tab, req)
		if err != nil {
			rt.Fatal(err)
		}
		for _, r := range res.Rows {
			if (r.Status == Achieved) != !r.AchievedAt.IsZero() {
				rt.Fatalf("%s/%s %s (actual %s): achieved at %v", r.Goal, r.Participant, r.Status, str(r.Actual), r.AchievedAt)
			}
			if r.AchievedAt.IsZero() {
				continue
			}
			if r.AchievedAt.Before(start) || r.AchievedAt.After(asOf) {
				rt.Fatalf("%s/%s achieved at %v, outside [%v, %v]", r.Goal, r.Participant, r.AchievedAt, start, asOf)
			}
			for _, at := range append([]time.Time{r.AchievedAt}, instants...) {
				if !at.Before(r.AchievedAt) && !at.After(asOf) && at.Before(end) {
					if st := rowStatusAt(rt, s, tab, req, r.Goal, r.Participant, at); st != Achieved {
						rt.Fatalf("%s/%s achieved at %v: %s as of %v", r.Goal, r.Participant, r.AchievedAt, st, at)
					}
				}
			}
			if r.AchievedAt.After(start) {
				if st := rowStatusAt(rt, s, tab, req, r.Goal, r.Participant, r.AchievedAt.Add(-time.Nanosecond)); st == Achieved {
					rt.Fatalf("%s/%s: achieved before %v", r.Goal, r.Participant, r.AchievedAt)
				}
			}
		}
	})
}

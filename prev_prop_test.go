package goalkit_test

import (
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// The plan of the period-over-period property: changes against the
// period before (a breakdown's against the same combination's), two
// periods back, a growth ratio and a running formula.
const prevPropPlan = `
timezone: %s
attributes: {source: string, n: int, flag: bool, price: decimal}
indicators:
  - {id: cnt, kinds: [sale], aggregate: count, by: [source]}
  - {id: total, kinds: [sale], aggregate: sum, value: price}
  - {id: growth, formula: cnt - prev(cnt), by: [source]}
  - {id: back2, formula: "total - prev(total, 2)"}
  - {id: ratio, formula: total / prev(total)}
  - {id: run, formula: "coalesce(prev(run), 0) + cnt"}
report:
  grain: %s
  from: 2025-01-01
  to: %s
`

// Period-over-period values against a plain loop: a change is the
// difference of the loop's values of the period and the one before (of
// the same combination for a breakdown row; a period before the report is
// read from the events), a ratio of a previous 0 is undefined, and a
// running formula adds up from the report's first period.
func TestPropPeriodOverPeriodIsThePlainLoopsDifference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		zone := rapid.SampledFrom([]string{"UTC", "Europe/Berlin", "America/New_York"}).Draw(t, "zone")
		grain := rapid.SampledFrom([]string{"month", "week"}).Draw(t, "grain")
		to := map[string]string{"month": "2025-05-01", "week": "2025-03-01"}[grain]
		plan := compile(t, parseDef(t, fmt.Sprintf(prevPropPlan, zone, grain, to)))
		cal := plan.Calendar()
		loc := cal.Location()
		evs, ref := genBreakdownEvents(t, loc)
		rep := mustEvaluate(t, plan, storeOf(t, loc, evs...), drawnAsOf(loc))
		doc := readReportDoc(t, rep)
		periods := rep.Values.Periods()
		index := func(row map[string]any) int {
			for i, p := range periods {
				if p.Start.String() == row["period_start"] {
					return i
				}
			}
			t.Fatalf("row %v: a period not of the report", row)
			return 0
		}
		// back is the period n before p (of p's grain).
		back := func(p period.Period, n int) period.Period {
			if grain == "week" {
				return period.Period{Start: p.Start - date.Date(7*n), End: p.End - date.Date(7*n)}
			}
			y, m, _ := p.Start.Date()
			day := func(t time.Time) date.Date { return date.New(t.Year(), t.Month(), t.Day()) }
			return period.Period{Start: day(time.Date(y, m-time.Month(n), 1, 0, 0, 0, 0, time.UTC)), End: day(time.Date(y, m-time.Month(n)+1, 1, 0, 0, 0, 0, time.UTC))}
		}
		memo := map[string]map[string]*big.Rat{}
		loop := func(agg, value string, by []string, who string, p period.Period) map[string]*big.Rat {
			key := fmt.Sprint(agg, by, who, p.Start, p.End)
			if out, ok := memo[key]; ok {
				return out
			}
			out := map[string]*big.Rat{}
			memo[key] = out
			for k, v := range bdRef(ref, agg, value, by, actorIs(who), p.Start, p.End) {
				r, _ := new(big.Rat).SetString(v)
				out[k] = r
			}
			if by == nil && out[""] == nil {
				out[""] = new(big.Rat)
			}
			return out
		}
		cnt := func(who string, p period.Period) *big.Rat { return loop("count", "", nil, who, p)[""] }
		total := func(who string, p period.Period) *big.Rat { return loop("sum", "price", nil, who, p)[""] }
		run := map[string]*big.Rat{}
		for _, row := range doc.Values {
			id, who := row["indicator"].(string), row["participant"].(string)
			i := index(row)
			p := periods[i]
			got := jsonValue(t, row["value"])
			var want *big.Rat
			switch id {
			case "growth":
				want = new(big.Rat).Sub(cnt(who, p), cnt(who, back(p, 1)))
			case "back2":
				want = new(big.Rat).Sub(total(who, p), total(who, back(p, 2)))
			case "run":
				if i == 0 {
					run[who] = new(big.Rat)
				}
				want = run[who].Add(run[who], cnt(who, p))
			case "ratio":
				prev := total(who, back(p, 1))
				if prev.Sign() == 0 {
					if got != "null" {
						t.Fatalf("ratio of %s in %s: %s, want undefined (the period before sums to 0)", who, p.Start, got)
					}
					continue
				}
				exact := new(big.Rat).Quo(total(who, p), prev)
				g, ok := new(big.Rat).SetString(got)
				if !ok {
					t.Fatalf("ratio of %s in %s: %s, want %s", who, p.Start, got, exact.FloatString(20))
				}
				diff := new(big.Rat).Abs(new(big.Rat).Sub(g, exact))
				if diff.Cmp(new(big.Rat).Mul(new(big.Rat).Abs(exact), big.NewRat(1, 1e15))) > 0 {
					t.Fatalf("ratio of %s in %s: %s, want %s", who, p.Start, got, exact.FloatString(20))
				}
				continue
			default:
				continue
			}
			if got != ratText(want) {
				t.Fatalf("%s of %s in %s: %s, a plain loop %s", id, who, p.Start, got, ratText(want))
			}
		}
		for _, row := range doc.Breakdowns {
			if row["indicator"] != "growth" {
				continue
			}
			who, p := row["participant"].(string), periods[index(row)]
			k := jsonByKey(t, row, []string{"source"})
			now, before := loop("count", "", []string{"source"}, who, p)[k], loop("count", "", []string{"source"}, who, back(p, 1))[k]
			if now == nil {
				now = new(big.Rat)
			}
			if before == nil {
				before = new(big.Rat)
			}
			if got, want := jsonValue(t, row["value"]), ratText(new(big.Rat).Sub(now, before)); got != want {
				t.Fatalf("growth of %s in %s by %s: %s, a plain loop %s", who, p.Start, k, got, want)
			}
		}
	})
}

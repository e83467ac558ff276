package goalkit_test

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

const topPropPlan = `
timezone: %s
attributes: {source: string, n: int, flag: bool, price: decimal}
indicators:
  - {id: cnt, kinds: [sale], aggregate: count, by: [source], top: %d}
  - {id: total, kinds: [sale], aggregate: sum, value: price, by: [flag], top: 1}
report:
  grain: month
  from: 2025-01-01
  to: 2025-05-01
`

// A top keeps, in each participant's period, the N combinations of the
// largest values (ties in the order of the attribute's values, events
// without it last) and one other row of the rest, which appears only when
// something is left out: a plain loop over the events says which and how
// much.
func TestPropTopKeepsTheLargestAndOneOtherRow(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		zone := rapid.SampledFrom([]string{"UTC", "Europe/Berlin"}).Draw(t, "zone")
		n := rapid.IntRange(1, 3).Draw(t, "top")
		plan := compile(t, parseDef(t, fmt.Sprintf(topPropPlan, zone, n)))
		loc := plan.Calendar().Location()
		evs, ref := genBreakdownEvents(t, loc)
		rep := mustEvaluate(t, plan, storeOf(t, loc, evs...), drawnAsOf(loc))
		doc := readReportDoc(t, rep)
		type cell struct{ id, who, start string }
		got := map[cell][]string{}
		for _, row := range doc.Breakdowns {
			id := row["indicator"].(string)
			c := cell{id, row["participant"].(string), row["period_start"].(string)}
			k := "other"
			if row["other"] != true {
				k = jsonByKey(t, row, map[string][]string{"cnt": {"source"}, "total": {"flag"}}[id])
			}
			got[c] = append(got[c], k+"="+jsonValue(t, row["value"]))
		}
		// rank orders the keys of bdKey: by value, largest first, then
		// by the attribute's order (strings in byte order, false before
		// true), none last.
		rank := func(vals map[string]string) []string {
			keys := make([]string, 0, len(vals))
			for k := range vals {
				keys = append(keys, k)
			}
			slices.SortFunc(keys, func(a, b string) int {
				if c := decimal.RequireFromString(vals[b]).Cmp(decimal.RequireFromString(vals[a])); c != 0 {
					return c
				}
				if (a == "null") != (b == "null") {
					if a == "null" {
						return 1
					}
					return -1
				}
				return strings.Compare(a, b) // quoted strings keep byte order; "false" < "true"
			})
			return keys
		}
		for _, who := range rep.Values.Participants() {
			for _, p := range rep.Values.Periods() {
				for _, s := range []struct {
					id, agg, value, by string
					top                int
				}{{"cnt", "count", "", "source", n}, {"total", "sum", "price", "flag", 1}} {
					vals := bdRef(ref, s.agg, s.value, []string{s.by}, actorIs(who), p.Start, p.End)
					keys := rank(vals)
					var want []string
					rest := new(big.Rat)
					for i, k := range keys {
						if i < s.top {
							want = append(want, k+"="+vals[k])
							continue
						}
						r, _ := new(big.Rat).SetString(vals[k])
						rest.Add(rest, r)
					}
					if len(keys) > s.top {
						want = append(want, "other="+ratText(rest))
					}
					if have := got[cell{s.id, who, p.Start.String()}]; !slices.Equal(have, want) {
						t.Fatalf("%s of %s in %s: rows %v, a plain loop %v", s.id, who, p.Start, have, want)
					}
				}
			}
		}
	})
}

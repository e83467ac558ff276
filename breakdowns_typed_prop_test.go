package goalkit_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

const typedByPlan = `
timezone: Europe/Berlin
attributes: {n: int, price: decimal, at: time}
indicators:
  - {id: by_numbers, kinds: [sale], aggregate: count, by: [n, price]}
  - {id: by_time, kinds: [sale], aggregate: count, by: [at]}
report: {grain: month, from: 2025-01-01, to: 2025-02-01}
`

// Breakdown rows by integers, decimals and times read back from the JSON
// (integers as numbers, decimals as decimal strings, times in RFC 3339,
// null for none) group by value: 1.5 and 1.50 are one row, and so is one
// instant written in two zones; a plain loop counts each group.
func TestPropBreakdownsByNumbersAndTimesGroupByValue(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("", 3*3600), time.FixedZone("", -5*3600-1800)}
	rapid.Check(t, func(t *rapid.T) {
		plan := compile(t, parseDef(t, typedByPlan))
		loc := plan.Calendar().Location()
		var evs []kpi.Event
		numbers, times := map[string]int{}, map[string]int{}
		for i := range rapid.IntRange(0, 25).Draw(t, "events") {
			attrs := map[string]any{}
			nk, pk, tk := "null", "null", "null"
			if rapid.IntRange(0, 3).Draw(t, "n?") > 0 {
				n := int64(rapid.IntRange(-2, 2).Draw(t, "n"))
				attrs["n"], nk = n, strconv.FormatInt(n, 10)
			}
			if rapid.IntRange(0, 3).Draw(t, "price?") > 0 {
				// The same value at several scales: 15, 1.5, 1.50.
				v := int64(rapid.IntRange(-3, 3).Draw(t, "price"))
				scale := int32(rapid.IntRange(0, 2).Draw(t, "scale"))
				p := decimal.New(v*pow10(scale), -1-scale)
				attrs["price"], pk = p, p.Rat().String()
			}
			if rapid.IntRange(0, 3).Draw(t, "at?") > 0 {
				at := time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rapid.IntRange(0, 3).Draw(t, "at")) * 90 * time.Minute)
				at = at.In(rapid.SampledFrom(zones).Draw(t, "zone"))
				attrs["at"], tk = at, strconv.FormatInt(at.Unix(), 10)
			}
			evs = append(evs, kpi.Event{ID: "e" + strconv.Itoa(i), Kind: "sale", Actor: "anna", Attrs: attrs,
				Time: time.Date(2025, 1, 10, 12, 0, 0, 0, loc)})
			numbers[nk+"|"+pk]++
			times[tk]++
		}
		rep := mustEvaluate(t, plan, storeOf(t, loc, evs...), time.Date(2025, 3, 1, 0, 0, 0, 0, loc))
		var doc struct {
			Breakdowns []struct {
				Indicator   string         `json:"indicator"`
				Participant string         `json:"participant"`
				By          map[string]any `json:"by"`
				Value       string         `json:"value"`
			} `json:"breakdowns"`
		}
		if err := json.Unmarshal(reportJSON(t, rep), &doc); err != nil {
			t.Fatal(err)
		}
		got := map[string]map[string]int{"by_numbers": {}, "by_time": {}}
		for _, row := range doc.Breakdowns {
			if row.Participant != "*" {
				continue
			}
			n, _ := strconv.Atoi(row.Value)
			var k string
			switch row.Indicator {
			case "by_numbers":
				nk, pk := "null", "null"
				switch v := row.By["n"].(type) {
				case float64:
					nk = strconv.FormatInt(int64(v), 10)
				case nil:
				default:
					t.Fatalf("n is %#v, not a number", v)
				}
				switch v := row.By["price"].(type) {
				case string:
					pk = decimal.RequireFromString(v).Rat().String()
				case nil:
				default:
					t.Fatalf("price is %#v, not a decimal string", v)
				}
				k = nk + "|" + pk
			case "by_time":
				k = "null"
				switch v := row.By["at"].(type) {
				case string:
					at, err := time.Parse(time.RFC3339Nano, v)
					if err != nil {
						t.Fatalf("at %q: %v", v, err)
					}
					k = strconv.FormatInt(at.Unix(), 10)
				case nil:
				default:
					t.Fatalf("at is %#v, not a time", v)
				}
			}
			if _, dup := got[row.Indicator][k]; dup {
				t.Fatalf("%s: two rows of %s", row.Indicator, k)
			}
			got[row.Indicator][k] = n
		}
		for id, want := range map[string]map[string]int{"by_numbers": numbers, "by_time": times} {
			if fmt.Sprint(got[id]) != fmt.Sprint(want) {
				t.Fatalf("%s: rows %v, a plain loop %v", id, got[id], want)
			}
		}
	})
}

func pow10(n int32) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}
